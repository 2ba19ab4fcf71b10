//! `/login`: sign in with e-mail and password.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::auth::api::{demo_login, Login};
use crate::auth::pages::form::{field_message, general_message, go_to, safe_next, FormError};
use crate::i18n::use_i18n;
use crate::ui::TextField;

/// The login form, with the demo login while the demo company exists.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let login = ServerAction::<Login>::new();
    let result = login.value();
    crate::ui::browser_effect(move || {
        if let Some(Ok(_)) = result.get() {
            go_to(&safe_next(query.read_untracked().get("next")));
        }
    });
    let demo = Resource::new(|| (), |_| demo_login());
    let t = move || i18n.t();

    view! {
        <section class="auth-page">
            <div class="auth-card">
                <img class="auth-card__logo" src="/icons/icon.svg" alt="" width="40" height="40" />
                <h1 class="auth-card__title">{move || t().login_title}</h1>
                <ActionForm action=login attr:class="auth-form">
                    <TextField
                        id="field-email"
                        name="email"
                        required=true
                        kind="email"
                        autocomplete="username"
                        label=Signal::derive(move || t().email_label)
                        error=Signal::derive(move || field_message(&result.get(), "email", i18n.locale()))
                    />
                    <TextField
                        id="field-password"
                        name="password"
                        required=true
                        kind="password"
                        autocomplete="current-password"
                        label=Signal::derive(move || t().password_label)
                        error=Signal::derive(move || field_message(&result.get(), "password", i18n.locale()))
                    />
                    <FormError error=Signal::derive(move || general_message(&result.get())) />
                    <button class="button button--primary" type="submit" disabled=move || login.pending().get()>
                        {move || t().login_submit}
                    </button>
                </ActionForm>
                <p class="auth-card__switch">
                    {move || t().login_no_account} " "
                    <a href="/signup">{move || t().signup_link}</a>
                </p>
                <Suspense>
                    {move || Suspend::new(async move {
                        demo.await.ok().flatten().map(|demo| view! {
                            <aside class="demo-login" aria-label=move || t().demo_title>
                                <h2 class="demo-login__title">{move || t().demo_title}</h2>
                                <p>{move || t().demo_hint}</p>
                                <dl class="demo-login__details">
                                    <dt>{move || t().email_label}</dt>
                                    <dd><code class="demo-login__email">{demo.email.clone()}</code></dd>
                                    <dt>{move || t().password_label}</dt>
                                    <dd><code class="demo-login__password">{demo.password.clone()}</code></dd>
                                </dl>
                            </aside>
                        })
                    })}
                </Suspense>
            </div>
        </section>
    }
}
