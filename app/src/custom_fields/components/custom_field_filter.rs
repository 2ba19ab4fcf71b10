//! The list's filter by a custom field: pick the field, then a value (or a
//! range, or a birthday month) with an input fit for its type; "Filtrar"
//! puts it in the URL.

use leptos::prelude::*;

use crate::contacts::urls::ListQuery;
use crate::custom_fields::api::list_custom_fields;
use crate::custom_fields::model::{FieldDefinition, FieldType};
use crate::i18n::use_i18n;

/// The filter form. `go` navigates to a query.
#[component]
pub fn CustomFieldFilter(
    #[prop(into)] query: Signal<ListQuery>,
    go: Callback<ListQuery>,
) -> impl IntoView {
    let definitions = Resource::new(|| (), |_| list_custom_fields());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let list = definitions.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! { <FilterForm definitions=list query go /> })
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn FilterForm(
    definitions: Vec<FieldDefinition>,
    query: Signal<ListQuery>,
    go: Callback<ListQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let current = query.get_untracked();
    let picked = RwSignal::new(current.field);
    let value = RwSignal::new(current.value.clone());
    let min = RwSignal::new(current.min.clone());
    let max = RwSignal::new(current.max.clone());
    let month = RwSignal::new(current.month);
    // Back/forward or a shared link change the applied filter: the inputs
    // follow it (and only it: typing a search leaves a half-made filter be).
    let applied = Memo::new(move |_| {
        query.with(|q| {
            (
                q.field,
                q.value.clone(),
                q.min.clone(),
                q.max.clone(),
                q.month,
            )
        })
    });
    crate::ui::browser_effect(move || {
        let (field, applied_value, applied_min, applied_max, applied_month) = applied.get();
        picked.set(field);
        value.set(applied_value);
        min.set(applied_min);
        max.set(applied_max);
        month.set(applied_month);
    });
    let definitions = StoredValue::new(definitions);
    let definition = move || {
        picked
            .get()
            .and_then(|id| definitions.with_value(|list| list.iter().find(|d| d.id == id).cloned()))
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let base = query.get_untracked().without_field();
        match picked.get_untracked() {
            None => go.run(base),
            Some(field) => go.run(ListQuery {
                field: Some(field),
                value: value.get_untracked(),
                min: min.get_untracked(),
                max: max.get_untracked(),
                month: month.get_untracked(),
                ..base
            }),
        }
    };
    let clear = move |_| {
        picked.set(None);
        value.set(String::new());
        min.set(String::new());
        max.set(String::new());
        month.set(None);
        go.run(query.get_untracked().without_field());
    };
    let text_input = move |id: &'static str,
                           label: &'static str,
                           signal: RwSignal<String>,
                           kind: &'static str| {
        view! {
            <div class="list-filters__filter">
                <label class="list-filters__label" for=id>{label}</label>
                <input id=id class="field__input" type=kind prop:value=move || signal.get()
                    on:input=move |ev| signal.set(event_target_value(&ev)) />
            </div>
        }
    };
    let inputs = move || {
        let definition = definition()?;
        let field_type = definition.field_type;
        let view = match field_type {
            FieldType::SingleSelect | FieldType::MultiSelect => view! {
                <div class="list-filters__filter">
                    <label class="list-filters__label" for="filter-field-value">{move || t().filter_value}</label>
                    <select id="filter-field-value" class="field__input" prop:value=move || value.get()
                        on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="">{move || t().cf_unset}</option>
                        {definition.options.iter().map(|o| {
                            let id = o.id.to_string();
                            let selected = {
                                let id = id.clone();
                                move || value.get() == id
                            };
                            view! { <option value=id selected=selected>{o.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
            .into_any(),
            FieldType::YesNo => view! {
                <div class="list-filters__filter">
                    <label class="list-filters__label" for="filter-field-value">{move || t().filter_value}</label>
                    <select id="filter-field-value" class="field__input" prop:value=move || value.get()
                        on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="">{move || t().cf_unset}</option>
                        <option value="true" selected=move || value.get() == "true">{move || t().cf_yes}</option>
                        <option value="false" selected=move || value.get() == "false">{move || t().cf_no}</option>
                    </select>
                </div>
            }
            .into_any(),
            field_type if field_type.is_number() => view! {
                {text_input("filter-field-min", t().filter_from, min, "text")}
                {text_input("filter-field-max", t().filter_to, max, "text")}
            }
            .into_any(),
            field_type if field_type.is_date() => view! {
                {text_input("filter-field-min", t().filter_from, min, "date")}
                {text_input("filter-field-max", t().filter_to, max, "date")}
                <div class="list-filters__filter">
                    <label class="list-filters__label" for="filter-field-month">{move || t().filter_birthday_month}</label>
                    <select id="filter-field-month" class="field__input"
                        prop:value=move || month.get().map(|m| m.to_string()).unwrap_or_default()
                        on:change=move |ev| month.set(event_target_value(&ev).parse().ok())>
                        <option value="">{move || t().filter_any_month}</option>
                        {(1u32..=12).map(|m| view! {
                            <option value=m.to_string() selected=move || month.get() == Some(m)>
                                {move || t().month_names[m as usize - 1]}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            }
            .into_any(),
            _ => text_input("filter-field-value", t().filter_value, value, "text").into_any(),
        };
        Some(view)
    };
    view! {
        <form class="list-filters list-filters--custom" on:submit=apply novalidate>
            <div class="list-filters__filter">
                <label class="list-filters__label" for="filter-field">{move || t().filter_field}</label>
                <select id="filter-field" class="field__input"
                    prop:value=move || picked.get().map(|id| id.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        picked.set(event_target_value(&ev).parse().ok());
                        value.set(String::new());
                        min.set(String::new());
                        max.set(String::new());
                        month.set(None);
                    }>
                    <option value="">{move || t().filter_no_field}</option>
                    {definitions.get_value().into_iter().map(|d| view! {
                        <option value=d.id.to_string() selected=move || picked.get() == Some(d.id)>{d.label.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            {inputs}
            <Show when=move || picked.get().is_some()>
                <button type="submit" class="button button--small button--primary">{move || t().filter_apply}</button>
            </Show>
            <Show when=move || query.with(|q| q.field.is_some())>
                <button type="button" class="button button--small" on:click=clear>{move || t().filter_clear}</button>
            </Show>
        </form>
    }
    .into_any()
}
