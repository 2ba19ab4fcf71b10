//! The contact list's table: Nome · Iniciar conversa via · ID do contato · Contato.

use leptos::prelude::*;

use crate::contacts::api::fetch_page;
use crate::contacts::components::StartConversationMenu;
use crate::contacts::model::{ContactListPage, ContactSummary};
use crate::contacts::urls::{ListQuery, Panel};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{ErrorMessage, Icon, IconKind};
use leptos_router::hooks::use_query_map;

/// The table of contacts, starting with `page` and growing page by page
/// ("Carregar mais") through the API's keyset cursor.
#[component]
pub fn ContactTable(
    /// The first page, as loaded for the current search and filters.
    page: ContactListPage,
    /// The search and filters the page belongs to (the next pages use them too).
    query: ListQuery,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_empty = page.contacts.is_empty();
    let searching = !query.q.trim().is_empty() || query.is_filtered();
    let rows = RwSignal::new(page.contacts);
    let next = RwSignal::new(page.next);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let query = StoredValue::new(query);

    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        loading.set(true);
        leptos::task::spawn_local(async move {
            match fetch_page(query.get_value(), Some(cursor)).await {
                Ok(more) => {
                    rows.update(|r| r.extend(more.contacts));
                    next.set(more.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };

    if is_empty {
        let message = move || {
            if searching {
                i18n.t().no_results
            } else {
                i18n.t().no_contacts
            }
        };
        return view! { <p class="empty-state">{message}</p> }.into_any();
    }

    view! {
        <div class="contact-table">
            <table class="contact-table__table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t().col_name}</th>
                        <th scope="col">{move || i18n.t().col_start_via}</th>
                        <th scope="col">{move || i18n.t().col_contact_id}</th>
                        <th scope="col">{move || i18n.t().col_phone}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|contact| contact.id let:contact>
                        <ContactRow contact />
                    </For>
                </tbody>
            </table>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <Show when=move || next.get().is_some()>
                <button
                    type="button"
                    class="button button--secondary contact-table__more"
                    disabled=move || loading.get()
                    on:click=load_more
                >
                    {move || if loading.get() { i18n.t().loading } else { i18n.t().load_more }}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

/// One contact in the table. Clicking the row (or its name link) opens the
/// side panel; the channel menu keeps its own clicks.
#[component]
fn ContactRow(contact: ContactSummary) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let initials = initials(&contact.name);
    let id = contact.id;
    let open = use_context::<Callback<Panel>>();
    let url_query = use_query_map();
    let href = move || {
        let q = url_query.read();
        ListQuery::from_query(|name| q.get_str(name)).url(Panel::Contact(id))
    };
    let on_row_click = move |ev: leptos::ev::MouseEvent| {
        // Clicks inside the channel menu are not "open the contact".
        let in_menu = event_target::<leptos::web_sys::Element>(&ev)
            .closest(".start-via")
            .ok()
            .flatten()
            .is_some();
        if let (false, Some(open)) = (in_menu, open) {
            ev.prevent_default();
            open.run(Panel::Contact(id));
        }
    };
    view! {
        <tr class="contact-table__row" data-contact-id=contact.id.get() on:click=on_row_click>
            <td class="contact-table__name">
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="contact-table__who">
                    <a class="contact-table__link" href=href>{contact.name.clone()}</a>
                    {contact.main_contact.clone().map(|main| view! {
                        <span class="contact-table__main" data-testid="row-main-contact">
                            <Icon kind=IconKind::LinkedTo /> " " {move || i18n.t().linked_to} " " {main.name}
                        </span>
                    })}
                </span>
            </td>
            <td>
                <StartConversationMenu contact_id=contact.id channels=contact.channels contact_name=contact.name />
            </td>
            <td class="contact-table__id">{contact.id.get()}</td>
            <td class="contact-table__phone">{contact.phone.unwrap_or_default()}</td>
        </tr>
    }
    .into_any()
}

/// The initials shown in a contact's avatar: first letters of the first and
/// last words ("Maria da Silva" -> "MS").
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = words.iter().skip(1).last().and_then(|w| w.chars().next());
    first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_and_last_words() {
        assert_eq!(initials("Maria da Silva"), "MS");
        assert_eq!(initials("joão"), "J");
        assert_eq!(initials("Ângela  Conceição"), "ÂC");
        assert_eq!(initials("   "), "");
    }
}
