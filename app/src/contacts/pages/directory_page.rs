//! `/settings/organizations`: "Organizações e grupos" (admins): create,
//! rename and delete (with confirmation) the organizations and groups that
//! contacts are assigned to.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contacts::directory::api::{
    create_directory_entry, delete_directory_entry, load_directory_overview,
    rename_directory_entry, DirectoryEntry,
};
use crate::contacts::directory::{validate_name, DirectoryKind};
use crate::contacts::urls::ListQuery;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{AdminOnly, ConfirmDelete, ErrorMessage};

/// The page; agents see that it is for admins only.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="directory-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().directory_title}</h1>
            </header>
            <AdminOnly><DirectoryManager /></AdminOnly>
        </section>
    }
}

/// Both lists, refreshed after every change.
#[component]
fn DirectoryManager() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || version.get(), |_| load_directory_overview());
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! {
                        <div class="directory-page__columns">
                            <EntryList kind=DirectoryKind::Organization entries=overview.organizations changed />
                            <EntryList kind=DirectoryKind::Group entries=overview.groups changed />
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The first message of a name validation error, or the error itself.
fn name_error(error: &AppError) -> Option<String> {
    match error {
        AppError::Validation(fields) => fields.first().map(|f| f.message.clone()),
        _ => None,
    }
}

/// One kind's list: a "new" form, then each entry with its contact count,
/// "Renomear" and "Excluir".
#[component]
fn EntryList(
    kind: DirectoryKind,
    entries: Vec<DirectoryEntry>,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let (title, new_label, empty) = match kind {
        DirectoryKind::Organization => (
            Signal::derive(move || t().directory_organizations),
            Signal::derive(move || t().directory_new_organization),
            Signal::derive(move || t().directory_no_organizations),
        ),
        DirectoryKind::Group => (
            Signal::derive(move || t().directory_groups),
            Signal::derive(move || t().directory_new_group),
            Signal::derive(move || t().directory_no_groups),
        ),
    };
    let slug = match kind {
        DirectoryKind::Organization => "organization",
        DirectoryKind::Group => "group",
    };
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let existing: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    let all_names = existing.clone();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked();
        // The server's rules, checked here first.
        if let Err(refused) = validate_name(&text, existing.iter().map(String::as_str)) {
            error.set(Some(AppError::invalid("name", refused.problem(kind))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_directory_entry(kind, text).await {
                Ok(_) => {
                    name.set(String::new());
                    error.set(None);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let input_id = format!("new-{slug}");
    let is_empty = entries.is_empty();
    view! {
        <section class="directory-list" aria-labelledby=format!("{slug}-title")>
            <h2 class="section-title" id=format!("{slug}-title")>{move || title.get()}</h2>
            <form class="directory-list__new" on:submit=create novalidate>
                <label class="field__label" for=input_id.clone()>{move || new_label.get()}</label>
                <div class="directory-list__new-row">
                    <input id=input_id class="field__input" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                        aria-invalid=move || error.with(|e| e.is_some()).to_string() />
                    <button type="submit" class="button button--primary" disabled=move || busy.get()>
                        {move || t().directory_create}
                    </button>
                </div>
                {move || error.get().map(|e| match name_error(&e) {
                    Some(message) => view! { <p class="field__error" role="alert">{message}</p> }.into_any(),
                    None => view! { <ErrorMessage error=e /> }.into_any(),
                })}
            </form>
            {is_empty.then(|| view! { <p class="empty-state">{move || empty.get()}</p> })}
            <ul class="directory-list__entries">
                {entries.into_iter().map(|entry| {
                    let others = all_names.iter().filter(|n| **n != entry.name).cloned().collect();
                    view! { <EntryRow kind entry others changed /> }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// One organization or group: its name (a link to its contacts), the count,
/// and its actions.
#[component]
fn EntryRow(
    kind: DirectoryKind,
    entry: DirectoryEntry,
    /// The other entries' names (a rename must not clash with them).
    others: Vec<String>,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = entry.id;
    let renaming = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft = RwSignal::new(entry.name.clone());
    let error = RwSignal::new(None::<AppError>);
    let list = match kind {
        DirectoryKind::Organization => ListQuery {
            organization: Some(id),
            ..ListQuery::default()
        },
        DirectoryKind::Group => ListQuery {
            group: Some(id),
            ..ListQuery::default()
        },
    };
    let contacts = entry.contacts;
    let count = move || {
        if contacts == 1 {
            t().directory_one_contact.to_string()
        } else {
            t().directory_contacts.replace("{n}", &contacts.to_string())
        }
    };
    let others = StoredValue::new(others);
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        let checked =
            others.with_value(|others| validate_name(&text, others.iter().map(String::as_str)));
        if let Err(refused) = checked {
            error.set(Some(AppError::invalid("name", refused.problem(kind))));
            return;
        }
        spawn_local(async move {
            match rename_directory_entry(kind, id, text).await {
                Ok(_) => {
                    renaming.set(false);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete = Callback::new(move |()| {
        spawn_local(async move {
            match delete_directory_entry(kind, id).await {
                Ok(()) => changed.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let name = entry.name.clone();
    let confirm_body = move || {
        let template = match kind {
            DirectoryKind::Organization => t().directory_delete_organization_body,
            DirectoryKind::Group => t().directory_delete_group_body,
        };
        template
            .replace("{name}", &name)
            .replace("{n}", &contacts.to_string())
    };
    let rename_id = format!("rename-{id}");
    view! {
        <li class="directory-entry" data-entry-id=id>
            <Show when=move || renaming.get() fallback={
                let name = entry.name.clone();
                let href = list.url(crate::contacts::urls::Panel::Closed);
                move || view! {
                    <a class="directory-entry__name" href=href.clone()>{name.clone()}</a>
                    <span class="directory-entry__count muted">{count}</span>
                    <span class="directory-entry__actions">
                        <button type="button" class="button button--small" on:click=move |_| { error.set(None); renaming.set(true) }>
                            {move || t().directory_rename}
                        </button>
                        <button type="button" class="button button--small button--danger" on:click=move |_| confirming.set(true)>
                            {move || t().delete}
                        </button>
                    </span>
                }
            }>
                <form class="directory-entry__rename" on:submit=rename novalidate>
                    <label class="visually-hidden" for=rename_id.clone()>{move || t().directory_rename}</label>
                    <input id=rename_id.clone() class="field__input" prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev)) />
                    <button type="submit" class="button button--small button--primary">{move || t().save}</button>
                    <button type="button" class="button button--small" on:click=move |_| renaming.set(false)>{move || t().cancel}</button>
                </form>
            </Show>
            {move || error.get().map(|e| match name_error(&e) {
                Some(message) => view! { <p class="field__error" role="alert">{message}</p> }.into_any(),
                None => view! { <ErrorMessage error=e /> }.into_any(),
            })}
            <ConfirmDelete open=confirming body=Signal::derive(confirm_body) on_confirm=delete />
        </li>
    }
    .into_any()
}
