//! The input for one custom field, chosen by its type: text boxes with the
//! right keyboard, date pickers, Sim/Não, option pickers.

use leptos::prelude::*;

use crate::custom_fields::model::{FieldDefinition, FieldType};
use crate::i18n::use_i18n;

/// The HTML input type and mobile keyboard for a text-like field type.
fn input_kind(field_type: FieldType) -> (&'static str, &'static str) {
    match field_type {
        FieldType::Integer | FieldType::Cpf | FieldType::Cnpj => ("text", "numeric"),
        FieldType::Decimal | FieldType::Currency => ("text", "decimal"),
        FieldType::Date => ("date", "text"),
        FieldType::DateTime => ("datetime-local", "text"),
        FieldType::Email => ("email", "email"),
        FieldType::Phone => ("tel", "tel"),
        FieldType::Url => ("url", "url"),
        _ => ("text", "text"),
    }
}

/// A labelled input for `definition`, controlled by `value` (the form's
/// text: option ids separated by commas for select fields), with its help
/// text and error message.
#[component]
pub fn CustomFieldInput(
    definition: FieldDefinition,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = format!("contact-custom-{}", definition.key);
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let label = if definition.required {
        format!("{} *", definition.label)
    } else {
        definition.label.clone()
    };
    let help = (!definition.help.is_empty()).then(|| {
        view! { <p class="field__hint" id=help_id.clone()>{definition.help.clone()}</p> }
    });
    let described = format!("{help_id} {error_id}");
    let selected = move || -> Vec<i64> {
        value.with(|v| {
            v.split(',')
                .filter_map(|part| part.trim().parse::<i64>().ok())
                .collect()
        })
    };
    let input = match definition.field_type {
        FieldType::LongText => view! {
            <textarea id=id.clone() class="field__input" rows="3"
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described.clone()></textarea>
        }
        .into_any(),
        FieldType::YesNo => view! {
            <select id=id.clone() class="field__input"
                prop:value=move || value.get()
                on:change=move |ev| on_input.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described.clone()>
                <option value="">{move || t().cf_unset}</option>
                <option value="true">{move || t().cf_yes}</option>
                <option value="false">{move || t().cf_no}</option>
            </select>
        }
        .into_any(),
        FieldType::SingleSelect => {
            // Retired options show only on the contact that already has one.
            let options: Vec<_> = definition.options.clone();
            view! {
                <select id=id.clone() class="field__input"
                    prop:value=move || value.get()
                    on:change=move |ev| on_input.run(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=described.clone()>
                    <option value="">{move || t().cf_unset}</option>
                    {options.into_iter().map(|o| {
                        let option_id = o.id;
                        let retired = o.retired;
                        let held = move || selected().contains(&option_id);
                        view! {
                            <Show when=move || !retired || held()>
                                <option value=option_id.to_string() selected=held>{o.label.clone()}</option>
                            </Show>
                        }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldType::MultiSelect => {
            let options: Vec<_> = definition.options.clone();
            view! {
                <div class="field__choices" id=id.clone() role="group" aria-describedby=described.clone()>
                    {options.into_iter().map(|o| {
                        let option_id = o.id;
                        let retired = o.retired;
                        let held = move || selected().contains(&option_id);
                        view! {
                            <Show when=move || !retired || held()>
                                <label class="checkbox">
                                    <input type="checkbox" prop:checked=held
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let mut ids = selected();
                                            ids.retain(|i| *i != option_id);
                                            if on {
                                                ids.push(option_id);
                                            }
                                            let text: Vec<String> = ids.iter().map(i64::to_string).collect();
                                            on_input.run(text.join(","));
                                        } />
                                    {o.label.clone()}
                                </label>
                            </Show>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        field_type => {
            let (kind, mode) = input_kind(field_type);
            view! {
                <input id=id.clone() class="field__input" type=kind inputmode=mode
                    prop:value=move || value.get()
                    on:input=move |ev| on_input.run(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=described.clone() />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-field-type=definition.field_type.as_str()>
            <label class="field__label" for=id.clone()>{label}</label>
            {input}
            {help}
            <p class="field__error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
    .into_any()
}
