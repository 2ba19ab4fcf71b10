//! The add/edit contact form (slide-out): Nome, Telefone, E-mail, Endereço
//! first; "Mostrar mais" reveals the rest. The shared validation runs here
//! before sending and again on the server; a message shows under each field.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contacts::details_api::{
    create_contact, find_duplicates, load_directory, update_contact,
};
use crate::contacts::form::{validate_contact, ContactForm};
use crate::contacts::model::{ContactDetails, Duplicate};
use crate::contacts::urls::{list_url, Panel};
use crate::custom_fields::api::list_custom_fields;
use crate::custom_fields::components::CustomFieldInput;
use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::values::{form_field, validate_custom_values};
use crate::error::{AppError, FieldError};
use crate::i18n::use_i18n;
use crate::ids::{ContactId, FieldId};
use crate::ui::{ErrorMessage, SlideOver, TextField};

/// Fields that live behind "Mostrar mais": an error there opens it.
const MORE_FIELDS: &[&str] = &[
    "phones.",
    "emails.",
    "birth_date",
    "document",
    "gender",
    "organization_id",
    "group_ids",
    "facebook",
    "instagram",
    "telegram",
    "website",
    "notes",
];

fn is_more_field(field: &str) -> bool {
    field != "phones.0"
        && field != "emails.0"
        && MORE_FIELDS.iter().any(|prefix| field.starts_with(prefix))
}

/// Today's date where the form runs (the browser's clock in the browser).
fn today() -> chrono::NaiveDate {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::new_0();
        chrono::NaiveDate::from_ymd_opt(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or(chrono::NaiveDate::MAX)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().date_naive()
    }
}

/// The id of the input of a form field (`phones.1` → `contact-phones-1`).
fn input_id(field: &str) -> String {
    format!("contact-{}", field.replace('.', "-"))
}

/// The form in its slide-out. `editing` is the contact being edited, or
/// `None` to add one.
#[component]
pub fn ContactFormPanel(
    editing: Option<ContactDetails>,
    on_close: Callback<()>,
    /// Called with the saved contact's id.
    on_saved: Callback<ContactId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let editing_id = editing.as_ref().map(|c| c.id);
    // The version the form was filled from: a save refuses a contact
    // changed since (409 `Stale`), so nobody overwrites another's edit.
    let editing_version = editing.as_ref().map(|c| c.version);
    let mut initial = editing
        .as_ref()
        .map(ContactDetails::to_form)
        .unwrap_or_default();
    // Option ids the contact holds per select field (a retired one may stay).
    let held: Vec<(FieldId, Vec<i64>)> = editing
        .as_ref()
        .map(|c| {
            c.custom
                .iter()
                .map(|v| (v.field_id, v.options.iter().map(|o| o.id).collect()))
                .collect()
        })
        .unwrap_or_default();
    let held = StoredValue::new(held);
    let more_filled = initial.phones.len() > 1
        || !initial.custom.is_empty()
        || initial.emails.len() > 1
        || !initial.birth_date.is_empty()
        || !initial.document.is_empty()
        || !initial.gender.is_empty()
        || initial.organization_id.is_some()
        || !initial.group_ids.is_empty()
        || !initial.notes.is_empty();
    if initial.phones.is_empty() {
        initial.phones.push(String::new());
    }
    if initial.emails.is_empty() {
        initial.emails.push(String::new());
    }
    let form = RwSignal::new(initial);
    let show_more = RwSignal::new(more_filled);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<AppError>);
    let saving = RwSignal::new(false);
    let duplicates = RwSignal::new(Vec::<Duplicate>::new());
    let directory = Resource::new(|| (), |_| load_directory());
    let definitions = Resource::new(|| (), |_| list_custom_fields());
    let loaded_definitions = move || -> Vec<FieldDefinition> {
        definitions
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    let phone_count = Memo::new(move |_| form.with(|f| f.phones.len()));
    let email_count = Memo::new(move |_| form.with(|f| f.emails.len()));

    let error_for = move |field: String| {
        Signal::derive(move || {
            errors.with(|list| {
                list.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.text(i18n.locale()))
            })
        })
    };
    let text = move |get: fn(&ContactForm) -> &String| {
        Signal::derive(move || form.with(|f| get(f).clone()))
    };
    let setter = move |set: fn(&mut ContactForm, String)| {
        Callback::new(move |value: String| form.update(|f| set(f, value)))
    };

    let check_duplicates = Callback::new(move |()| {
        let snapshot = form.get_untracked();
        spawn_local(async move {
            if let Ok(found) = find_duplicates(snapshot, editing_id).await {
                duplicates.set(found);
            }
        });
    });

    let show_errors = move |found: Vec<FieldError>| {
        let required: Vec<String> = loaded_definitions()
            .iter()
            .filter(|d| d.required)
            .map(|d| form_field(&d.key))
            .collect();
        if found.iter().any(|e| {
            is_more_field(&e.field)
                || (e.field.starts_with("custom.") && !required.contains(&e.field))
        }) {
            show_more.set(true);
        }
        errors.set(found);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let snapshot = form.get_untracked();
        general.set(None);
        let base = validate_contact(&snapshot, today());
        let custom = held.with_value(|held| {
            validate_custom_values(&loaded_definitions(), &snapshot.custom, &|field| {
                held.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, ids)| ids.clone())
                    .unwrap_or_default()
            })
        });
        if base.is_err() || custom.is_err() {
            let mut found = base.err().unwrap_or_default();
            found.extend(custom.err().unwrap_or_default());
            show_errors(found);
            return;
        }
        errors.set(Vec::new());
        saving.set(true);
        spawn_local(async move {
            let result = match editing_id {
                None => create_contact(snapshot).await,
                Some(id) => update_contact(id, snapshot, editing_version).await,
            };
            saving.set(false);
            match result {
                Ok(saved) => on_saved.run(saved.id),
                Err(AppError::Validation(found)) => show_errors(found),
                Err(other) => general.set(Some(other)),
            }
        });
    };

    let list_field = move |kind: &'static str, index: usize| {
        let field = format!("{kind}.{index}");
        let value = Signal::derive(move || {
            form.with(|f| {
                let list = if kind == "phones" {
                    &f.phones
                } else {
                    &f.emails
                };
                list.get(index).cloned().unwrap_or_default()
            })
        });
        let on_input = Callback::new(move |value: String| {
            form.update(|f| {
                let list = if kind == "phones" {
                    &mut f.phones
                } else {
                    &mut f.emails
                };
                if let Some(slot) = list.get_mut(index) {
                    *slot = value;
                }
            })
        });
        (field, value, on_input)
    };

    // The inputs of the custom fields that are (or are not) required.
    let custom_inputs = move |required: bool| {
        view! {
            <Suspense>
                {move || Suspend::new(async move {
                    let list = definitions.await.unwrap_or_default();
                    list.into_iter()
                        .filter(|d| d.required == required)
                        .map(|definition| {
                            let key = definition.key.clone();
                            let value = {
                                let key = key.clone();
                                Signal::derive(move || form.with(|f| f.custom.get(&key).cloned().unwrap_or_default()))
                            };
                            let on_input = {
                                let key = key.clone();
                                Callback::new(move |text: String| form.update(|f| { f.custom.insert(key.clone(), text); }))
                            };
                            let error = error_for(form_field(&key));
                            view! { <CustomFieldInput definition value on_input error /> }
                        })
                        .collect_view()
                })}
            </Suspense>
        }
    };

    let title = Signal::derive(move || {
        if editing_id.is_some() {
            t().edit_contact_title
        } else {
            t().add_contact
        }
        .to_string()
    });

    view! {
        <SlideOver title on_close class="contact-form">
            <form class="contact-form__form" novalidate on:submit=submit>
                <TextField id="contact-name" label=Signal::derive(move || t().field_name)
                    value=text(|f| &f.name) on_input=setter(|f, v| f.name = v) error=error_for("name".into()) />
                {
                    let (field, value, on_input) = list_field("phones", 0);
                    view! { <TextField id=input_id(&field) label=Signal::derive(move || t().field_phone) value on_input
                        kind="tel" error=error_for("phones.0".into()) on_blur=check_duplicates /> }
                }
                {
                    let (field, value, on_input) = list_field("emails", 0);
                    view! { <TextField id=input_id(&field) label=Signal::derive(move || t().field_email) value on_input
                        kind="email" error=error_for("emails.0".into()) on_blur=check_duplicates /> }
                }
                <TextField id="contact-address" label=Signal::derive(move || t().field_address)
                    value=text(|f| &f.address) on_input=setter(|f, v| f.address = v) error=error_for("address".into()) />
                {custom_inputs(true)}

                <Show when=move || !duplicates.with(Vec::is_empty)>
                    <div class="duplicate-warning" role="status">
                        <p>{move || t().duplicate_warning}</p>
                        <ul>
                            {move || duplicates.get().into_iter().map(|d| view! {
                                <li>
                                    <a href=list_url("", Panel::Contact(d.id))>{d.name.clone()} " (#" {d.id.get()} ")"</a>
                                    " · " {d.matched.clone()}
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                </Show>

                <button type="button" class="contact-form__more" aria-expanded=move || show_more.get().to_string()
                    on:click=move |_| show_more.update(|s| *s = !*s)>
                    {move || if show_more.get() { t().show_less } else { t().show_more }}
                </button>

                <Show when=move || show_more.get()>
                    <fieldset class="contact-form__section">
                        <legend>{move || t().field_more_phones}</legend>
                        {move || (1..phone_count.get()).map(|index| {
                            let (field, value, on_input) = list_field("phones", index);
                            let error = error_for(field.clone());
                            view! {
                                <div class="contact-form__entry">
                                    <TextField id=input_id(&field) label=Signal::derive(move || t().field_phone) value on_input kind="tel" error on_blur=check_duplicates />
                                    <button type="button" class="button button--small" on:click=move |_| form.update(|f| { f.phones.remove(index); })>
                                        {move || t().remove}
                                    </button>
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" class="button button--small" on:click=move |_| form.update(|f| f.phones.push(String::new()))>
                            {move || t().add_phone}
                        </button>
                    </fieldset>
                    <fieldset class="contact-form__section">
                        <legend>{move || t().field_more_emails}</legend>
                        {move || (1..email_count.get()).map(|index| {
                            let (field, value, on_input) = list_field("emails", index);
                            let error = error_for(field.clone());
                            view! {
                                <div class="contact-form__entry">
                                    <TextField id=input_id(&field) label=Signal::derive(move || t().field_email) value on_input kind="email" error on_blur=check_duplicates />
                                    <button type="button" class="button button--small" on:click=move |_| form.update(|f| { f.emails.remove(index); })>
                                        {move || t().remove}
                                    </button>
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" class="button button--small" on:click=move |_| form.update(|f| f.emails.push(String::new()))>
                            {move || t().add_email}
                        </button>
                    </fieldset>
                    <TextField id="contact-birth_date" label=Signal::derive(move || t().field_birth_date) kind="date"
                        value=text(|f| &f.birth_date) on_input=setter(|f, v| f.birth_date = v) error=error_for("birth_date".into()) />
                    <TextField id="contact-document" label=Signal::derive(move || t().field_document)
                        value=text(|f| &f.document) on_input=setter(|f, v| f.document = v) error=error_for("document".into()) />
                    <div class="field">
                        <label class="field__label" for="contact-gender">{move || t().field_gender}</label>
                        <select id="contact-gender" class="field__input"
                            prop:value=move || form.with(|f| f.gender.clone())
                            on:change=move |ev| form.update(|f| f.gender = event_target_value(&ev))>
                            <option value="">{move || t().gender_none}</option>
                            <option value="female">{move || t().gender_female}</option>
                            <option value="male">{move || t().gender_male}</option>
                            <option value="other">{move || t().gender_other}</option>
                        </select>
                    </div>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let directory = directory.await.unwrap_or_default();
                            let organizations = directory.organizations.clone();
                            let groups = directory.groups.clone();
                            view! {
                                <div class="field">
                                    <label class="field__label" for="contact-organization">{move || t().field_organization}</label>
                                    <select id="contact-organization" class="field__input"
                                        prop:value=move || form.with(|f| f.organization_id.map(|id| id.to_string()).unwrap_or_default())
                                        on:change=move |ev| form.update(|f| f.organization_id = event_target_value(&ev).parse().ok())>
                                        <option value="">{move || t().no_organization}</option>
                                        {organizations.into_iter().map(|o| view! {
                                            <option value=o.id.to_string()>{o.name}</option>
                                        }).collect_view()}
                                    </select>
                                    <p class="field__error" role="alert">{move || error_for("organization_id".into()).get()}</p>
                                </div>
                                <fieldset class="contact-form__section">
                                    <legend>{move || t().field_groups}</legend>
                                    {groups.is_empty().then(|| view! { <p class="muted">{move || t().no_groups}</p> })}
                                    {groups.into_iter().map(|g| {
                                        let id = g.id;
                                        view! {
                                            <label class="checkbox">
                                                <input type="checkbox"
                                                    prop:checked=move || form.with(|f| f.group_ids.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        form.update(|f| {
                                                            f.group_ids.retain(|g| *g != id);
                                                            if on { f.group_ids.push(id); }
                                                        });
                                                    } />
                                                {g.name}
                                            </label>
                                        }
                                    }).collect_view()}
                                </fieldset>
                            }
                        })}
                    </Suspense>
                    <TextField id="contact-facebook" label=Signal::derive(move || t().field_facebook)
                        value=text(|f| &f.facebook) on_input=setter(|f, v| f.facebook = v) error=error_for("facebook".into()) />
                    <TextField id="contact-instagram" label=Signal::derive(move || t().field_instagram)
                        value=text(|f| &f.instagram) on_input=setter(|f, v| f.instagram = v) error=error_for("instagram".into()) />
                    <TextField id="contact-telegram" label=Signal::derive(move || t().field_telegram)
                        value=text(|f| &f.telegram) on_input=setter(|f, v| f.telegram = v) error=error_for("telegram".into()) />
                    <TextField id="contact-website" label=Signal::derive(move || t().field_website)
                        value=text(|f| &f.website) on_input=setter(|f, v| f.website = v) error=error_for("website".into()) />
                    <div class="field">
                        <label class="field__label" for="contact-notes">{move || t().field_notes}</label>
                        <textarea id="contact-notes" class="field__input" rows="4"
                            prop:value=move || form.with(|f| f.notes.clone())
                            on:input=move |ev| form.update(|f| f.notes = event_target_value(&ev))></textarea>
                        <p class="field__error" role="alert">{move || error_for("notes".into()).get()}</p>
                    </div>
                    {custom_inputs(false)}
                </Show>

                <Show when=move || !errors.with(Vec::is_empty)>
                    <p class="form-error" role="alert">{move || t().form_has_errors}</p>
                </Show>
                {move || general.get().map(|error| {
                    let stale = matches!(error, AppError::Stale { .. });
                    view! {
                        <ErrorMessage error />
                        <Show when=move || stale>
                            <button type="button" class="button button--small" on:click=move |_| reload_page()>
                                {move || t().reload}
                            </button>
                        </Show>
                    }
                })}
                <footer class="contact-form__footer">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{move || t().cancel}</button>
                    <button type="submit" class="button button--primary" disabled=move || saving.get()>
                        {move || if saving.get() { t().saving } else if editing_id.is_some() { t().save } else { t().add }}
                    </button>
                </footer>
            </form>
        </SlideOver>
    }
}

/// Reloads the page (after a save refused because the contact changed).
fn reload_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}
