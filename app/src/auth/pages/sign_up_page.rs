//! `/signup`: a new company and its first admin.

use leptos::prelude::*;

use crate::auth::api::SignUp;
use crate::auth::pages::form::{field_message, general_message, go_to, FormError};
use crate::i18n::use_i18n;
use crate::ui::TextField;

/// The sign-up form; on success the new admin lands on the contact list.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let sign_up = ServerAction::<SignUp>::new();
    let result = sign_up.value();
    crate::ui::browser_effect(move || {
        if let Some(Ok(_)) = result.get() {
            go_to("/contacts");
        }
    });
    let t = move || i18n.t();
    let error = move |field: &'static str| {
        Signal::derive(move || field_message(&result.get(), field, i18n.locale()))
    };

    view! {
        <section class="auth-page">
            <div class="auth-card">
                <img class="auth-card__logo" src="/icons/icon.svg" alt="" width="40" height="40" />
                <h1 class="auth-card__title">{move || t().signup_title}</h1>
                <ActionForm action=sign_up attr:class="auth-form">
                    <TextField id="field-company" name="company" required=true autocomplete="organization" label=Signal::derive(move || t().signup_company) error=error("company") />
                    <TextField id="field-name" name="name" required=true autocomplete="name" label=Signal::derive(move || t().signup_name) error=error("name") />
                    <TextField id="field-email" name="email" required=true kind="email" autocomplete="username" label=Signal::derive(move || t().email_label) error=error("email") />
                    <TextField
                        id="field-password"
                        name="password"
                        required=true
                        kind="password"
                        autocomplete="new-password"
                        label=Signal::derive(move || t().password_label)
                        hint=Signal::derive(move || t().signup_password_hint)
                        error=error("password")
                    />
                    <FormError error=Signal::derive(move || general_message(&result.get())) />
                    <button class="button button--primary" type="submit" disabled=move || sign_up.pending().get()>
                        {move || t().signup_submit}
                    </button>
                </ActionForm>
                <p class="auth-card__switch">
                    {move || t().have_account} " " <a href="/login">{move || t().login_link}</a>
                </p>
            </div>
        </section>
    }
}
