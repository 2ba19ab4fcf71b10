//! `/settings/fields`: "Campos personalizados" (admins): define the
//! company's contact fields, order them with arrows, change them, manage
//! the options of select fields, delete them (with confirmation).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::custom_fields::api::{
    add_field_option, create_custom_field, custom_fields_overview, delete_custom_field,
    move_custom_field, rename_field_option, retire_field_option, update_custom_field,
};
use crate::custom_fields::definition::validate_draft;
use crate::custom_fields::model::{FieldDefinition, FieldDraft, FieldType, SelectOption};
use crate::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Locale};
use crate::ids::FieldId;
use crate::ui::{AdminOnly, ConfirmDelete, ErrorMessage, Icon, IconKind};

/// The page; agents see that it is for admins only.
#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="custom-fields-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().cf_title}</h1>
            </header>
            <p class="muted">{move || i18n.t().cf_intro}</p>
            <AdminOnly><FieldsManager /></AdminOnly>
        </section>
    }
    .into_any()
}

/// The message of `field` among validation errors, in `locale`.
fn message_for(errors: &[FieldError], field: &str, locale: Locale) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
        .map(|e| e.text(locale))
}

/// A validation error's messages, or `None` for other errors.
fn field_errors(error: &AppError) -> Option<Vec<FieldError>> {
    match error {
        AppError::Validation(fields) => Some(fields.clone()),
        _ => None,
    }
}

/// The new-field form and the list, refreshed after every change.
#[component]
fn FieldsManager() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || version.get(), |_| custom_fields_overview());
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <NewFieldForm changed />
        <Transition>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(fields) if fields.is_empty() => view! {
                        <p class="empty-state">{move || i18n.t().cf_none}</p>
                    }
                    .into_any(),
                    Ok(fields) => {
                        let count = fields.len();
                        view! {
                            <ol class="custom-fields">
                                {fields.into_iter().enumerate().map(|(index, field)| view! {
                                    <FieldRow field first={index == 0} last={index + 1 == count} changed />
                                }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The type picker: every type, in the settings order.
#[component]
fn TypeSelect(#[prop(into)] id: String, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select id=id class="field__input" prop:value=move || value.get()
            on:change=move |ev| value.set(event_target_value(&ev))>
            {FieldType::ALL.into_iter().map(|field_type| view! {
                <option value=field_type.as_str() selected=move || value.get() == field_type.as_str()>
                    {move || i18n.t().field_type_name(field_type)}
                </option>
            }).collect_view()}
        </select>
    }
    .into_any()
}

/// "Novo campo": name, key, type, required, help, and the options of a
/// select field (one per line).
#[component]
fn NewFieldForm(changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let label = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let field_type = RwSignal::new(FieldType::Text.as_str().to_string());
    let required = RwSignal::new(false);
    let help = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let is_select = move || FieldType::parse(&field_type.get()).is_some_and(FieldType::is_select);
    let error =
        move |field: &'static str| move || errors.with(|e| message_for(e, field, i18n.locale()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = FieldDraft {
            label: label.get_untracked(),
            key: key.get_untracked(),
            field_type: field_type.get_untracked(),
            required: required.get_untracked(),
            help: help.get_untracked(),
            options: options
                .get_untracked()
                .lines()
                .map(str::to_string)
                .collect(),
        };
        // The server's rules, checked here first (uniqueness is the server's).
        if let Err(found) = validate_draft(&draft, &[]) {
            errors.set(found);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_custom_field(draft).await {
                Ok(_) => {
                    label.set(String::new());
                    key.set(String::new());
                    help.set(String::new());
                    options.set(String::new());
                    required.set(false);
                    errors.set(Vec::new());
                    general.set(None);
                    changed.run(());
                }
                Err(e) => match field_errors(&e) {
                    Some(found) => errors.set(found),
                    None => general.set(Some(e)),
                },
            }
            busy.set(false);
        });
    };
    view! {
        <form class="custom-field-form card" on:submit=submit novalidate aria-labelledby="new-field-title">
            <h2 class="section-title" id="new-field-title">{move || t().cf_new}</h2>
            <div class="custom-field-form__grid">
                <div class="field">
                    <label class="field__label" for="new-field-label">{move || t().cf_label}</label>
                    <input id="new-field-label" class="field__input" prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev))
                        aria-invalid=move || error("label")().is_some().to_string() />
                    <p class="field__error" role="alert">{error("label")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="new-field-type">{move || t().cf_type}</label>
                    <TypeSelect id="new-field-type" value=field_type />
                    <p class="field__error" role="alert">{error("field_type")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="new-field-key">{move || t().cf_key}</label>
                    <input id="new-field-key" class="field__input" prop:value=move || key.get()
                        placeholder=move || crate::custom_fields::definition::key_from_label(&label.get())
                        on:input=move |ev| key.set(event_target_value(&ev)) />
                    <p class="field__hint">{move || t().cf_key_help}</p>
                    <p class="field__error" role="alert">{error("key")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="new-field-help">{move || t().cf_help}</label>
                    <input id="new-field-help" class="field__input" prop:value=move || help.get()
                        on:input=move |ev| help.set(event_target_value(&ev)) />
                    <p class="field__error" role="alert">{error("help")}</p>
                </div>
            </div>
            <Show when=is_select>
                <div class="field">
                    <label class="field__label" for="new-field-options">{move || t().cf_options_input}</label>
                    <textarea id="new-field-options" class="field__input" rows="4" prop:value=move || options.get()
                        on:input=move |ev| options.set(event_target_value(&ev))></textarea>
                    <p class="field__error" role="alert">{error("options")}</p>
                </div>
            </Show>
            <label class="checkbox">
                <input id="new-field-required" type="checkbox" prop:checked=move || required.get()
                    on:change=move |ev| required.set(event_target_checked(&ev)) />
                {move || t().cf_required}
            </label>
            {move || general.get().map(|error| view! { <ErrorMessage error /> })}
            <button type="submit" class="button button--primary" disabled=move || busy.get()>{move || t().cf_create}</button>
        </form>
    }
    .into_any()
}

/// One field: its name, type, key and count, with arrows, "Editar" and
/// "Excluir"; editing shows its form and, for select fields, its options.
#[component]
fn FieldRow(
    field: FieldDefinition,
    first: bool,
    last: bool,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = field.id;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let general = RwSignal::new(None::<AppError>);
    let move_to = move |up: bool| {
        spawn_local(async move {
            match move_custom_field(id, up).await {
                Ok(()) => changed.run(()),
                Err(e) => general.set(Some(e)),
            }
        });
    };
    let delete = Callback::new(move |()| {
        spawn_local(async move {
            match delete_custom_field(id).await {
                Ok(()) => changed.run(()),
                Err(e) => general.set(Some(e)),
            }
        });
    });
    let used_by = field.used_by.unwrap_or(0);
    let label = field.label.clone();
    let confirm_body = move || {
        t().cf_delete_body
            .replace("{name}", &label)
            .replace("{n}", &used_by.to_string())
    };
    let field_type = field.field_type;
    let is_select = field_type.is_select();
    let stored = StoredValue::new(field.clone());
    view! {
        <li class="custom-field" data-field-key=field.key.clone()>
            <div class="custom-field__summary">
                <span class="custom-field__label">{field.label.clone()}</span>
                {field.required.then(|| view! { <span class="badge">{move || t().cf_required}</span> })}
                <span class="muted">{move || t().field_type_name(field_type)}</span>
                <code class="custom-field__key">{field.key.clone()}</code>
                <span class="muted">{move || t().cf_used_by.replace("{n}", &used_by.to_string())}</span>
                <span class="custom-field__actions">
                    <button type="button" class="button button--small" disabled=first
                        aria-label=move || t().cf_move_up on:click=move |_| move_to(true)><Icon kind=IconKind::ArrowUp /></button>
                    <button type="button" class="button button--small" disabled=last
                        aria-label=move || t().cf_move_down on:click=move |_| move_to(false)><Icon kind=IconKind::ArrowDown /></button>
                    <button type="button" class="button button--small" on:click=move |_| editing.update(|e| *e = !*e)>
                        {move || t().cf_edit}
                    </button>
                    <button type="button" class="button button--small button--danger" on:click=move |_| confirming.set(true)>
                        {move || t().delete}
                    </button>
                </span>
            </div>
            {move || general.get().map(|error| view! { <ErrorMessage error /> })}
            <Show when=move || editing.get()>
                <EditField field=stored.get_value() on_done=Callback::new(move |()| { editing.set(false); changed.run(()); })
                    on_cancel=Callback::new(move |()| editing.set(false)) />
                {is_select.then(|| view! { <OptionsEditor field_id=id options=stored.get_value().options changed /> })}
            </Show>
            <ConfirmDelete open=confirming body=Signal::derive(confirm_body) on_confirm=delete />
        </li>
    }
    .into_any()
}

/// A field's editable properties: name, type, required, help. The key stays.
#[component]
fn EditField(
    field: FieldDefinition,
    on_done: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = field.id;
    let label = RwSignal::new(field.label.clone());
    let field_type = RwSignal::new(field.field_type.as_str().to_string());
    let required = RwSignal::new(field.required);
    let help = RwSignal::new(field.help.clone());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<AppError>);
    let error =
        move |name: &'static str| move || errors.with(|e| message_for(e, name, i18n.locale()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = FieldDraft {
            label: label.get_untracked(),
            field_type: field_type.get_untracked(),
            required: required.get_untracked(),
            help: help.get_untracked(),
            ..FieldDraft::default()
        };
        spawn_local(async move {
            match update_custom_field(id, draft).await {
                Ok(_) => on_done.run(()),
                Err(e) => match field_errors(&e) {
                    Some(found) => errors.set(found),
                    None => general.set(Some(e)),
                },
            }
        });
    };
    let prefix = format!("edit-field-{id}");
    let type_id = format!("{prefix}-type");
    view! {
        <form class="custom-field__edit" on:submit=submit novalidate>
            <div class="custom-field-form__grid">
                <div class="field">
                    <label class="field__label" for=format!("{prefix}-label")>{move || t().cf_label}</label>
                    <input id=format!("{prefix}-label") class="field__input" prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev)) />
                    <p class="field__error" role="alert">{error("label")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for=type_id.clone()>{move || t().cf_type}</label>
                    <TypeSelect id=type_id value=field_type />
                    <p class="field__error" role="alert">{error("field_type")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for=format!("{prefix}-help")>{move || t().cf_help}</label>
                    <input id=format!("{prefix}-help") class="field__input" prop:value=move || help.get()
                        on:input=move |ev| help.set(event_target_value(&ev)) />
                    <p class="field__error" role="alert">{error("help")}</p>
                </div>
            </div>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || required.get()
                    on:change=move |ev| required.set(event_target_checked(&ev)) />
                {move || t().cf_required}
            </label>
            {move || general.get().map(|error| view! { <ErrorMessage error /> })}
            <div class="custom-field__edit-actions">
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>{move || t().cancel}</button>
                <button type="submit" class="button button--primary">{move || t().save}</button>
            </div>
        </form>
    }
    .into_any()
}

/// A select field's options: rename, retire or restore each; add more.
#[component]
fn OptionsEditor(
    field_id: FieldId,
    options: Vec<SelectOption>,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let new_label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let shown_error = move || {
        error.get().map(|e| match field_errors(&e) {
            Some(found) => {
                view! { <p class="field__error" role="alert">{message_for(&found, "label", i18n.locale())}</p> }
                    .into_any()
            }
            None => view! { <ErrorMessage error=e /> }.into_any(),
        })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let label = new_label.get_untracked();
        spawn_local(async move {
            match add_field_option(field_id, label).await {
                Ok(_) => {
                    new_label.set(String::new());
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let new_id = format!("new-option-{field_id}");
    view! {
        <section class="custom-field__options" aria-label=move || t().cf_options>
            <h3 class="custom-field__options-title">{move || t().cf_options}</h3>
            <ul>
                {options.into_iter().map(|option| {
                    let option_id = option.id;
                    let retired = option.retired;
                    let draft = RwSignal::new(option.label.clone());
                    let rename = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let label = draft.get_untracked();
                        spawn_local(async move {
                            match rename_field_option(field_id, option_id, label).await {
                                Ok(_) => changed.run(()),
                                Err(e) => error.set(Some(e)),
                            }
                        });
                    };
                    let toggle = move |_| {
                        spawn_local(async move {
                            match retire_field_option(field_id, option_id, !retired).await {
                                Ok(_) => changed.run(()),
                                Err(e) => error.set(Some(e)),
                            }
                        });
                    };
                    let input_id = format!("option-{option_id}");
                    view! {
                        <li class="custom-field__option" class:custom-field__option--retired=retired>
                            <form on:submit=rename novalidate>
                                <label class="visually-hidden" for=input_id.clone()>{move || t().directory_rename}</label>
                                <input id=input_id class="field__input" prop:value=move || draft.get()
                                    on:input=move |ev| draft.set(event_target_value(&ev)) />
                                <button type="submit" class="button button--small">{move || t().directory_rename}</button>
                                <button type="button" class="button button--small" on:click=toggle>
                                    {move || if retired { t().cf_restore } else { t().cf_retire }}
                                </button>
                                {retired.then(|| view! { <span class="muted">{move || t().cf_retired}</span> })}
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="custom-field__add-option" on:submit=add novalidate>
                <label class="visually-hidden" for=new_id.clone()>{move || t().cf_new_option}</label>
                <input id=new_id class="field__input" placeholder=move || t().cf_new_option prop:value=move || new_label.get()
                    on:input=move |ev| new_label.set(event_target_value(&ev)) />
                <button type="submit" class="button button--small">{move || t().cf_add_option}</button>
            </form>
            {shown_error}
        </section>
    }
    .into_any()
}
