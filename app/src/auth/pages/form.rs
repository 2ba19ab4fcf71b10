//! Small pieces shared by the account forms.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};

/// The message for `field` in a failed submission, if the server named it,
/// in `locale`.
pub fn field_message<T>(
    result: &Option<Result<T, AppError>>,
    field: &str,
    locale: Locale,
) -> Option<String> {
    match result {
        Some(Err(AppError::Validation(errors))) => errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.text(locale)),
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
/// if the browser reads it as a path of this site, else the contact list.
///
/// Checked by the URL parser's own rules (the WHATWG URL standard, which
/// the browser applies to `location.href`): leading and trailing C0
/// controls and spaces are dropped, tabs and newlines anywhere are removed,
/// and `\` counts as `/` in the path. What is left must be a path: one `/`, then
/// anything but another. The cleaned text is returned, so the browser
/// follows exactly what was checked (`/\t/evil.example` would otherwise
/// become `//evil.example`, another site).
pub fn safe_next(next: Option<String>) -> String {
    const HOME: &str = "/contacts";
    let Some(next) = next else {
        return HOME.to_string();
    };
    let mut in_path = true;
    let cleaned: String = next
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| {
            in_path &= !matches!(c, '?' | '#');
            // Only the path reads `\` as `/`; a query keeps it.
            if c == '\\' && in_path {
                '/'
            } else {
                c
            }
        })
        .collect();
    let mut chars = cleaned.chars();
    if chars.next() == Some('/') && chars.next() != Some('/') {
        cleaned
    } else {
        HOME.to_string()
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
        let next = |s: &str| safe_next(Some(s.to_string()));
        assert_eq!(next("/contacts?q=ana"), "/contacts?q=ana");
        assert_eq!(next("/contacts/42#timeline"), "/contacts/42#timeline");
        assert_eq!(safe_next(None), "/contacts");
        for other_site in [
            "//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            // The browser removes tabs and newlines, and reads \ as /.
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example",
            // Leading controls and spaces are dropped.
            " //evil.example",
            "\u{1}//evil.example",
            "",
            "evil.example",
        ] {
            assert_eq!(next(other_site), "/contacts", "{other_site:?}");
        }
        // Encoded characters stay encoded in a path: still this site.
        assert_eq!(next("/%09/evil.example"), "/%09/evil.example");
        assert_eq!(next("/%2F%2Fevil.example"), "/%2F%2Fevil.example");
        // What is returned is what was checked.
        assert_eq!(next(" /contacts\t?q=a "), "/contacts?q=a");
        assert_eq!(next("/contacts\\42"), "/contacts/42");
        assert_eq!(next("/contacts?q=a\\b"), "/contacts?q=a\\b");
    }

    #[test]
    fn field_messages_are_picked_by_field() {
        let result: Option<Result<(), AppError>> = Some(Err(AppError::invalid(
            "email",
            crate::problem::Problem::EmailTaken,
        )));
        assert_eq!(
            field_message(&result, "email", Locale::En).as_deref(),
            Some("An account with this e-mail already exists.")
        );
        assert_eq!(field_message(&result, "password", Locale::En), None);
        // Words from the code, in the language asked for.
        let coded: Option<Result<(), AppError>> = Some(Err(AppError::invalid(
            "email",
            crate::error::Problem::EmailRequired,
        )));
        assert_eq!(
            field_message(&coded, "email", Locale::En).as_deref(),
            Some("Enter the e-mail.")
        );
        assert_eq!(
            field_message(&coded, "email", Locale::PtBr).as_deref(),
            Some("Informe o e-mail.")
        );
        assert!(general_message(&result).is_none());
        let limited: Option<Result<(), AppError>> = Some(Err(AppError::TooManyRequests {
            limit: crate::error::Limit::Login,
            retry_after_secs: 60,
        }));
        assert!(general_message(&limited).is_some());
    }
}
