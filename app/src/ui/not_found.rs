use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// The page for an unknown address; answered with HTTP 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="not-found">
            <h1>{move || i18n.t().not_found_title}</h1>
            <p>{move || i18n.t().not_found_body}</p>
            <A href="/contacts">{move || i18n.t().back_to_contacts}</A>
        </section>
    }
}
