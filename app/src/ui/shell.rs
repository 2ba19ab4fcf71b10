//! The application shell: sidebar navigation and top bar.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Locale};

/// Sidebar + top bar around the current page.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    view! {
        <div class="app-shell">
            <Sidebar />
            <div class="app-shell__main">
                <TopBar />
                <main class="app-shell__content">{children()}</main>
            </div>
        </div>
    }
}

/// Navigation: "Contatos > Contatos" and "Atendimentos > Conversas".
#[component]
fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="sidebar" aria-label="Agenda">
            <A href="/contacts" attr:class="sidebar__brand">
                <img src="/icons/icon.svg" alt="" width="28" height="28" />
                <span>{move || i18n.t().app_name}</span>
            </A>
            <div class="sidebar__section">
                <h2 class="sidebar__heading">{move || i18n.t().nav_contacts_section}</h2>
                <A href="/contacts" attr:class="sidebar__link">{move || i18n.t().nav_contacts}</A>
            </div>
            <div class="sidebar__section">
                <h2 class="sidebar__heading">{move || i18n.t().nav_service_section}</h2>
                <A href="/conversations" attr:class="sidebar__link">{move || i18n.t().nav_conversations}</A>
            </div>
        </nav>
    }
}

/// The top bar: the language switch.
#[component]
fn TopBar() -> impl IntoView {
    view! {
        <header class="top-bar">
            <div class="top-bar__spacer"></div>
            <LanguageSwitch />
        </header>
    }
}

/// Switches the UI language without a reload; remembered in a cookie.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="language-switch">
            <span class="language-switch__label">{move || i18n.t().language_label}</span>
            <select
                class="language-switch__select"
                on:change=move |ev| i18n.set_locale(Locale::from_code(&event_target_value(&ev)))
            >
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <option value=locale.code() selected=move || i18n.locale() == locale>
                                {locale.messages().language_name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
