use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// Shows an API error in the user's language.
#[component]
pub fn ErrorMessage(
    /// The error to show.
    error: AppError,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="error-message" role="alert">
            {move || i18n.t().error(&error)}
        </p>
    }
}
