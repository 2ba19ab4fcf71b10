//! `/invite/:token`: a new team member accepts an admin's invitation.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::auth::api::{show_invite, AcceptInvite};
use crate::auth::model::Role;
use crate::auth::pages::form::{field_message, general_message, go_to, FormError};
use crate::i18n::use_i18n;
use crate::ui::ErrorMessage;
use crate::ui::TextField;

/// Shows whose team the link joins, then the account form.
#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, show_invite);
    let accept = ServerAction::<AcceptInvite>::new();
    let result = accept.value();
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
                <h1 class="auth-card__title">{move || t().invite_title}</h1>
                <Suspense fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                            Ok(invite) => {
                                let role = match invite.role {
                                    Role::Admin => t().role_admin,
                                    Role::Agent => t().role_agent,
                                };
                                view! {
                                    <p class="auth-card__intro">
                                        {move || t().invite_intro} " " <strong>{invite.company_name.clone()}</strong>
                                        " (" {role} ")."
                                    </p>
                                    <ActionForm action=accept attr:class="auth-form">
                                        <input type="hidden" name="token" value=token() />
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
                                        // The link itself went stale while the form was open.
                                        {move || field_message(&result.get(), "token", i18n.locale()).map(|message| view! {
                                            <p class="form-error" role="alert">{message}</p>
                                        })}
                                        <button class="button button--primary" type="submit" disabled=move || accept.pending().get()>
                                            {move || t().invite_submit}
                                        </button>
                                    </ActionForm>
                                }
                                .into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}
