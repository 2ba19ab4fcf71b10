//! `/conversations`: "Atendimentos > Conversas".

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The list of conversations. No conversation can exist before the
/// conversations module lands, so the page shows its empty state.
#[component]
pub fn ConversationsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="conversations-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().conversations_title}</h1>
            </header>
            <p class="empty-state">{move || i18n.t().conversations_empty}</p>
        </section>
    }
}
