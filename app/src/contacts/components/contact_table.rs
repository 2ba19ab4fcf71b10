//! The contact list's table: Nome · Iniciar conversa via · ID do contato · Contato.

use leptos::prelude::*;

use crate::contacts::api::list_contacts;
use crate::contacts::components::StartConversationMenu;
use crate::contacts::model::{ContactPage, ContactSummary};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::ErrorMessage;

/// The table of contacts, starting with `page` and growing page by page
/// ("Carregar mais") through the API's keyset cursor.
#[component]
pub fn ContactTable(
    /// The first page, as loaded for the current search.
    page: ContactPage,
    /// The search the page belongs to (the next pages use it too).
    search: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_empty = page.contacts.is_empty();
    let searching = !search.trim().is_empty();
    let rows = RwSignal::new(page.contacts);
    let next = RwSignal::new(page.next);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let search = StoredValue::new(search);

    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        loading.set(true);
        leptos::task::spawn_local(async move {
            match list_contacts(Some(search.get_value()), Some(cursor), None).await {
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

/// One contact in the table.
#[component]
fn ContactRow(contact: ContactSummary) -> impl IntoView {
    let initials = initials(&contact.name);
    view! {
        <tr class="contact-table__row" data-contact-id=contact.id>
            <td class="contact-table__name">
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span>{contact.name.clone()}</span>
            </td>
            <td>
                <StartConversationMenu channels=contact.channels contact_name=contact.name />
            </td>
            <td class="contact-table__id">{contact.id}</td>
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
