//! Agenda: the contacts module of an omnichannel customer-service platform.
//!
//! This crate holds everything the browser and the server share: domain types,
//! components, and the server functions that form the RPC API. Server-only code
//! (data layer, SQL) sits behind the `ssr` feature; the browser build enables
//! `hydrate`.

// Leptos views are deeply nested types; release builds need more headroom.
#![recursion_limit = "256"]

/// Accounts: sign-up, login, sessions, roles, agents and invitations.
pub mod auth;
/// Contacts: the business address book (list, search, details).
pub mod contacts;
/// Conversations and the channels a conversation can be started on.
pub mod conversations;
/// Custom fields: company-defined, typed contact fields.
pub mod custom_fields;
/// Data layer: the database handle and its migrations (server only).
#[cfg(feature = "ssr")]
pub mod db;
/// The error type every server function returns.
pub mod error;
/// The periodic purge of what has ended (server only).
#[cfg(feature = "ssr")]
pub mod housekeeping;
/// UI text in Brazilian Portuguese (default) and English.
pub mod i18n;
/// Typed ids of contacts, custom fields, conversations and import jobs.
pub mod ids;
/// CSV import and export of contacts.
pub mod import_export;
/// `agenda check`, `agenda backup` and `agenda restore`.
#[cfg(feature = "ssr")]
pub mod maintenance;
/// The Content-Security-Policy of HTML pages (server only).
#[cfg(feature = "ssr")]
pub mod page_policy;
/// What is wrong with an input field: codes with parameters, worded per
/// language.
pub mod problem;
/// The server-side state shared by routes and server functions.
#[cfg(feature = "ssr")]
pub mod state;
/// Tenancy: which company a request acts for.
pub mod tenant;
/// Time zones: the viewer's and the company's.
pub mod time_zone;
/// The contact timeline: what happened with a contact, and comments.
pub mod timeline;
/// Generic widgets and the application shell (sidebar, top bar).
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::auth::pages::{AcceptInvitePage, AgentsPage, CompanyPage, LoginPage, SignUpPage};
use crate::auth::provide_current_user;
use crate::contacts::pages::{ContactPage, ContactsPage, DirectoryPage};
use crate::conversations::pages::{ChannelsPage, ConversationPage, ConversationsPage};
use crate::custom_fields::pages::CustomFieldsPage;
use crate::i18n::{initial_locale, provide_i18n, use_i18n};
use crate::import_export::pages::{ImportJobPage, ImportPage};
use crate::ui::{AppShell, NotFoundPage};

/// The HTML document rendered by the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_locale().code();
    #[cfg(feature = "ssr")]
    page_policy::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: meta tags, i18n, the shell and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_i18n();
    provide_current_user();
    crate::ui::provide_viewer_zone();
    let i18n = use_i18n();

    view! {
        <Stylesheet id="agenda" href="/pkg/agenda.css" />
        <Title text=move || i18n.t().app_name />
        <Meta name="description" content=move || i18n.t().app_description />
        <Meta name="theme-color" content="#0f766e" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/icons/icon.svg" type_="image/svg+xml" />
        <Link rel="apple-touch-icon" href="/icons/icon-192.png" />
        <Router>
            <Routes fallback=NotFoundPage>
                // Public pages, without the shell.
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/signup") view=SignUpPage />
                <Route path=path!("/invite/:token") view=AcceptInvitePage />
                // Signed-in pages (the server redirects anonymous visitors to /login).
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("/") view=|| view! { <Redirect path="/contacts" /> } />
                    <Route path=path!("/contacts") view=ContactsPage />
                    <Route path=path!("/contacts/import") view=ImportPage />
                    <Route path=path!("/contacts/import/:id") view=ImportJobPage />
                    <Route path=path!("/contacts/:id") view=ContactPage />
                    <Route path=path!("/conversations") view=ConversationsPage />
                    <Route path=path!("/conversations/:id") view=ConversationPage />
                    <Route path=path!("/settings/agents") view=AgentsPage />
                    <Route path=path!("/settings/company") view=CompanyPage />
                    <Route path=path!("/settings/organizations") view=DirectoryPage />
                    <Route path=path!("/settings/fields") view=CustomFieldsPage />
                    <Route path=path!("/settings/channels") view=ChannelsPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
