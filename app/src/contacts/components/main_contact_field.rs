//! The contact page's "Contato principal" field: the main contact (a link),
//! a pencil to change it, a search-as-you-type picker ("Selecionar"),
//! "Salvar" and "Desvincular"; and, on a main, its linked contacts. Each
//! link to or from a main offers "Mesclar".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contacts::api::list_contacts;
use crate::contacts::components::MergeDialog;
use crate::contacts::links::api::{link_contact, unlink_contact};
use crate::contacts::model::{ContactDetails, ContactRef, NamedRef};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ui::{ErrorMessage, Icon, IconKind};

/// The field for `contact`; `on_changed` reloads the page's contact.
#[component]
pub fn MainContactField(contact: ContactDetails, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = contact.id;
    let current = contact.main_contact.clone();
    let linked = contact.linked.clone();
    let editing = RwSignal::new(false);
    let picking = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<ContactRef>);
    let error = RwSignal::new(None::<AppError>);
    // Merge dialog: (survivor = the main, the other).
    let merging = RwSignal::new(None::<(ContactId, ContactId)>);
    let results = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                return Ok(Vec::new());
            }
            list_contacts(
                Some(q),
                None,
                Some(8),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            )
            .await
            .map(|page| page.contacts)
        },
    );
    let save = move |_| {
        let Some(main) = chosen.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match link_contact(id, main.id).await {
                Ok(_) => {
                    editing.set(false);
                    error.set(None);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let unlink = move |_| {
        spawn_local(async move {
            match unlink_contact(id).await {
                Ok(_) => {
                    editing.set(false);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let navigate = leptos_router::hooks::use_navigate();
    // The survivor is always the main: on its own page, reload; on a
    // member's page (this contact is gone), open the main's.
    let on_merged = move |survivor: ContactId| {
        if survivor == id {
            on_changed.run(());
        } else {
            navigate(&format!("/contacts/{survivor}"), Default::default());
        }
    };
    let has_main = current.is_some();
    let main_for_merge = current.as_ref().map(|m| m.id);
    view! {
        <div class="main-contact" data-testid="main-contact-field">
            <div class="main-contact__row">
                <span class="main-contact__label">{move || t().main_contact}</span>
                <span class="main-contact__value">
                    {match current.clone() {
                        Some(main) => view! { <a href=format!("/contacts/{}", main.id)>{main.name}</a> }.into_any(),
                        None => view! { <span class="muted">{move || t().main_contact_none}</span> }.into_any(),
                    }}
                </span>
                {main_for_merge.map(|main| view! {
                    <button type="button" class="link-button" on:click=move |_| merging.set(Some((main, id)))>
                        {move || t().merge}
                    </button>
                })}
                <button type="button" class="icon-button" aria-label=move || t().main_contact_edit title=move || t().main_contact_edit
                    aria-expanded=move || editing.get().to_string()
                    on:click=move |_| { editing.update(|e| *e = !*e); chosen.set(None); picking.set(false); }>
                    <Icon kind=IconKind::Edit />
                </button>
            </div>
            <Show when=move || editing.get()>
                <div class="main-contact__editor">
                    <div class="main-contact__choice">
                        <span>{move || chosen.get().map(|c| c.name).unwrap_or_else(|| t().main_contact_pick.to_string())}</span>
                        <button type="button" class="button" on:click=move |_| picking.update(|p| *p = !*p)>
                            {move || t().main_contact_select}
                        </button>
                    </div>
                    <Show when=move || picking.get()>
                        <div class="main-contact__picker">
                            <input type="search" class="search-box__input" aria-label=move || t().main_contact_search
                                placeholder=move || t().main_contact_search
                                prop:value=move || query.get()
                                on:input=move |ev| query.set(event_target_value(&ev)) />
                            <Suspense>
                                {move || Suspend::new(async move {
                                    let found = results.await.unwrap_or_default();
                                    view! {
                                        <ul class="picker" role="listbox" aria-label=move || t().main_contact_search>
                                            {found.into_iter().filter(|c| c.id != id).map(|c| {
                                                let pick = NamedRef { id: c.id, name: c.name.clone() };
                                                view! {
                                                    <li role="option" aria-selected="false">
                                                        <button type="button" class="picker__item" on:click=move |_| {
                                                            chosen.set(Some(pick.clone()));
                                                            picking.set(false);
                                                        }>
                                                            <strong>{c.name.clone()}</strong>
                                                            " " <span class="muted">{c.phone.clone().unwrap_or_default()} " · ID " {c.id.get()}</span>
                                                        </button>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }
                                })}
                            </Suspense>
                        </div>
                    </Show>
                    {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                    <div class="main-contact__actions">
                        <button type="button" class="button button--primary" disabled=move || chosen.get().is_none() on:click=save>
                            {move || t().save}
                        </button>
                        {has_main.then(|| view! {
                            <button type="button" class="button" on:click=unlink>{move || t().main_contact_unlink}</button>
                        })}
                        <button type="button" class="button" on:click=move |_| editing.set(false)>{move || t().cancel}</button>
                    </div>
                </div>
            </Show>
            {(!linked.is_empty()).then(|| view! {
                <div class="main-contact__linked" data-testid="linked-contacts">
                    <span class="main-contact__label">{move || t().linked_contacts}</span>
                    <ul class="linked-list">
                        {linked.into_iter().map(|member| {
                            let member_id = member.id;
                            view! {
                                <li>
                                    <a href=format!("/contacts/{member_id}")>{member.name.clone()}</a>
                                    " "
                                    <button type="button" class="link-button" on:click=move |_| merging.set(Some((id, member_id)))>
                                        {move || t().merge}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {move || merging.get().map(|(survivor, other)| view! {
                <MergeDialog survivor other on_close=Callback::new(move |_| merging.set(None))
                    on_merged=Callback::new({ let on_merged = on_merged.clone(); move |_| on_merged(survivor) }) />
            })}
        </div>
    }
    .into_any()
}
