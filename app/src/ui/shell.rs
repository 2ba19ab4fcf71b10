//! The application shell: sidebar navigation and top bar.

use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

use crate::auth::api::Logout;
use crate::auth::use_current_user;
use crate::i18n::{use_i18n, Locale};

/// Sidebar + top bar around the current (signed-in) page.
#[component]
pub fn AppShell() -> impl IntoView {
    view! {
        <div class="app-shell">
            <Sidebar />
            <div class="app-shell__main">
                <TopBar />
                <main class="app-shell__content"><Outlet /></main>
            </div>
        </div>
    }
}

/// Navigation: "Contatos > Contatos" and "Atendimentos > Conversas".
#[component]
fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
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
            <Suspense>
                {move || Suspend::new(async move {
                    let is_admin = matches!(user.await, Ok(Some(user)) if user.is_admin());
                    is_admin.then(|| view! {
                        <div class="sidebar__section">
                            <h2 class="sidebar__heading">{move || i18n.t().nav_settings_section}</h2>
                            <A href="/settings/agents" attr:class="sidebar__link">{move || i18n.t().nav_agents}</A>
                            <A href="/settings/company" attr:class="sidebar__link">{move || i18n.t().nav_company}</A>
                            <A href="/settings/organizations" attr:class="sidebar__link">{move || i18n.t().nav_directory}</A>
                            <A href="/settings/fields" attr:class="sidebar__link">{move || i18n.t().nav_custom_fields}</A>
                            <A href="/settings/channels" attr:class="sidebar__link">{move || i18n.t().nav_channels}</A>
                        </div>
                    })
                })}
            </Suspense>
        </nav>
    }
}

/// The top bar: the language switch, who is signed in, and "Sair".
#[component]
fn TopBar() -> impl IntoView {
    view! {
        <header class="top-bar">
            <div class="top-bar__spacer"></div>
            <LanguageSwitch />
            <UserMenu />
        </header>
    }
}

/// The signed-in user's name and company, and the logout button.
#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let logout = ServerAction::<Logout>::new();
    crate::ui::browser_effect(move || {
        if logout.value().get().is_some() {
            crate::auth::pages::go_to("/login");
        }
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|user| view! {
                    <div class="user-menu">
                        <span class="user-menu__who">
                            <strong class="user-menu__name">{user.name.clone()}</strong>
                            <span class="user-menu__company">{user.company_name.clone()}</span>
                        </span>
                        <ActionForm action=logout>
                            <button class="button button--small" type="submit">{move || i18n.t().logout}</button>
                        </ActionForm>
                    </div>
                })
            })}
        </Suspense>
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
