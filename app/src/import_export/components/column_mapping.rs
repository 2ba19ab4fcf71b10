//! The mapping step: each column of the file with sample values and where
//! it goes ("Importar como"), the duplicate policy, and "Importar".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::import_export::import_api::start_import;
use crate::import_export::job::{DuplicatePolicy, ImportPreview};
use crate::import_export::mapping::ColumnTarget;
use crate::ui::ErrorMessage;

/// The mapping form. `started` runs once the import is queued.
#[component]
pub fn ColumnMapping(preview: ImportPreview, started: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = preview.job.id;
    let targets = RwSignal::new(preview.targets.clone());
    let policy = RwSignal::new(DuplicatePolicy::Skip);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let fields = StoredValue::new(preview.fields.clone());
    let rows = preview.rows.clone();
    let columns = preview
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let samples: Vec<String> = rows
                .iter()
                .filter_map(|row| row.get(index))
                .map(|cell| cell.trim().chars().take(40).collect::<String>())
                .filter(|cell| !cell.is_empty())
                .take(3)
                .collect();
            let header = if header.trim().is_empty() {
                crate::import_export::rows::column_letter(index)
            } else {
                header.clone()
            };
            let selected = move || targets.with(|all| all.get(index).map(ColumnTarget::code).unwrap_or_default());
            view! {
                <tr>
                    <th scope="row" class="mapping__column">{header.clone()}</th>
                    <td class="mapping__sample">{samples.join(" · ")}</td>
                    <td>
                        <select class="field__input" aria-label=header.clone()
                            prop:value=selected
                            on:change=move |ev| {
                                let target = ColumnTarget::from_code(&event_target_value(&ev));
                                targets.update(|all| if let Some(slot) = all.get_mut(index) { *slot = target; });
                            }>
                            <option value="ignore" selected=move || selected() == "ignore">{move || t().import_ignore}</option>
                            {ColumnTarget::STANDARD.iter().map(|target| {
                                let code = target.code();
                                let target = target.clone();
                                let is = code.clone();
                                view! {
                                    <option value=code selected=move || selected() == is>{move || t().target_name(&target)}</option>
                                }
                            }).collect_view()}
                            {fields.get_value().into_iter().map(|field| {
                                let code = ColumnTarget::Custom(field.key.clone()).code();
                                let is = code.clone();
                                view! { <option value=code selected=move || selected() == is>{field.label.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match start_import(id, targets.get_untracked(), policy.get_untracked()).await {
                Ok(_) => started.run(()),
                Err(failure) => {
                    busy.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    let policy_option =
        move |value: DuplicatePolicy, label: fn(&'static crate::i18n::Messages) -> &'static str| {
            view! {
                <label class="choice">
                    <input type="radio" name="policy" value=value.as_str()
                        prop:checked=move || policy.get() == value
                        on:change=move |_| policy.set(value) />
                    {move || label(t())}
                </label>
            }
        };
    view! {
        <section class="column-mapping" aria-labelledby="mapping-title">
            <h2 id="mapping-title" class="section-title">{move || t().import_mapping_title}</h2>
            <p class="muted">{move || t().import_mapping_intro}</p>
            <table class="mapping">
                <thead>
                    <tr>
                        <th scope="col">{move || t().import_column}</th>
                        <th scope="col">{move || t().import_sample}</th>
                        <th scope="col">{move || t().import_goes_to}</th>
                    </tr>
                </thead>
                <tbody>{columns}</tbody>
            </table>
            <fieldset class="policy">
                <legend>{move || t().import_policy_title}</legend>
                <p class="muted">{move || t().import_policy_hint}</p>
                {policy_option(DuplicatePolicy::Skip, |m| m.policy_skip)}
                {policy_option(DuplicatePolicy::Update, |m| m.policy_update)}
                {policy_option(DuplicatePolicy::Create, |m| m.policy_create)}
            </fieldset>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <div class="form-actions">
                <button type="button" class="button button--primary" disabled=move || busy.get() on:click=start>
                    {move || t().import_start}
                </button>
            </div>
        </section>
    }
    .into_any()
}
