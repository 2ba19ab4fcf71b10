//! Small pieces shared by the account forms.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// The message for `field` in a failed submission, if the server named it.
pub fn field_message<T>(result: &Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(AppError::Validation(errors))) => errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone()),
        _ => None,
    }
}

/// A failure that is not about one field (rate limit, network, …).
pub fn general_message<T>(result: &Option<Result<T, AppError>>) -> Option<AppError> {
    match result {
        Some(Err(AppError::Validation(_))) | Some(Ok(_)) | None => None,
        Some(Err(error)) => Some(error.clone()),
    }
}

/// Where to go after signing in: the `next` the login page was sent with,
/// if it is a path of this site, else the contact list.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') => {
            next
        }
        _ => "/contacts".to_string(),
    }
}

/// Loads `path` as a new document, so every part of the app sees the new
/// session cookie.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = path;
    }
}

/// A labelled input with the server's message for it.
#[component]
pub fn Field(
    /// The input's name: the server function's argument.
    name: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The input type (`text`, `email`, `password`).
    #[prop(default = "text")]
    kind: &'static str,
    /// The browser's autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The server's message for this field.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint under the input.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{move || label.get()}</label>
            <input
                id=id
                class="field__input"
                type=kind
                name=name
                autocomplete=autocomplete
                required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            {hint.map(|hint| view! { <p class="field__hint">{move || hint.get()}</p> })}
            <p class="field__error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// An error that is not about one field, in the user's language.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.get().is_some()>
            <p class="form-error" role="alert">
                {move || error.get().map(|e| i18n.t().error(&e))}
            </p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/contacts?q=ana".into())), "/contacts?q=ana");
        assert_eq!(safe_next(Some("//evil.example".into())), "/contacts");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/contacts");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/contacts");
        assert_eq!(safe_next(None), "/contacts");
    }

    #[test]
    fn field_messages_are_picked_by_field() {
        let result: Option<Result<(), AppError>> = Some(Err(AppError::field("email", "bad")));
        assert_eq!(field_message(&result, "email").as_deref(), Some("bad"));
        assert_eq!(field_message(&result, "password"), None);
        assert!(general_message(&result).is_none());
        let limited: Option<Result<(), AppError>> = Some(Err(AppError::TooManyRequests {
            limit: crate::error::Limit::Login,
            retry_after_secs: 60,
        }));
        assert!(general_message(&limited).is_some());
    }
}
