//! `/settings/channels` (admins): the inbound endpoint channel providers
//! post customers' messages to, and its token (made here, shown once).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::conversations::api::{rotate_inbound, show_inbound};
use crate::conversations::INBOUND_PATH;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{AdminOnly, ErrorMessage, LocalTime};

/// The page; agents see that it is for admins only.
#[component]
pub fn ChannelsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="channels-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().inbound_title}</h1>
            </header>
            <p class="muted">{move || i18n.t().inbound_intro}</p>
            <AdminOnly><InboundToken /></AdminOnly>
        </section>
    }
    .into_any()
}

#[component]
fn InboundToken() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let version = RwSignal::new(0u32);
    let since = Resource::new(move || version.get(), |_| show_inbound());
    let token = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let rotate = move |_| {
        spawn_local(async move {
            match rotate_inbound().await {
                Ok(new) => {
                    token.set(Some(new));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <dl class="contact-info">
            <div class="contact-info__row">
                <dt>{move || t().inbound_endpoint}</dt>
                <dd><code>"POST " {INBOUND_PATH}</code></dd>
            </div>
        </dl>
        <Suspense>
            {move || Suspend::new(async move {
                match since.await {
                    Ok(Some(at)) => view! { <p>{move || t().inbound_since} " " <LocalTime at=at.clone() /></p> }.into_any(),
                    Ok(None) => view! { <p class="muted">{move || t().inbound_none}</p> }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
        {move || token.get().map(|token| view! {
            <div class="notice" role="status">
                <p>{move || t().inbound_token_once}</p>
                <code class="token" data-testid="inbound-token">{token}</code>
            </div>
        })}
        {move || error.get().map(|error| view! { <ErrorMessage error /> })}
        <button type="button" class="button button--primary" on:click=rotate>{move || t().inbound_rotate}</button>
    }
    .into_any()
}
