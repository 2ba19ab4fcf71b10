//! "Mesclar contatos": the two contacts' conflicting fields side by side,
//! one choice per field; merging keeps one contact and deletes the other.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contacts::links::api::{load_merge_plan, merge_contacts};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ui::ErrorMessage;

/// The dialog merging `other` into `survivor`; `on_close` dismisses it,
/// `on_merged` runs once the merge is done.
#[component]
pub fn MergeDialog(
    survivor: ContactId,
    other: ContactId,
    on_close: Callback<()>,
    on_merged: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let plan = Resource::new(move || (survivor, other), |(s, o)| load_merge_plan(s, o));
    let take_other = RwSignal::new(BTreeSet::<String>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let confirm = move |_| {
        busy.set(true);
        let chosen: Vec<String> = take_other.get_untracked().into_iter().collect();
        // The versions the agent chose from: a contact changed since is
        // refused (409), and the plan is read again to show what it holds now.
        let versions = plan
            .get_untracked()
            .and_then(Result::ok)
            .map(|plan| (plan.survivor.version, plan.other.version));
        spawn_local(async move {
            let (survivor_version, other_version) = versions.unzip();
            match merge_contacts(survivor, other, chosen, survivor_version, other_version).await {
                Ok(_) => {
                    on_close.run(());
                    on_merged.run(());
                }
                Err(e) => {
                    busy.set(false);
                    if matches!(e, AppError::Stale { .. }) {
                        take_other.set(BTreeSet::new());
                        plan.refetch();
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="confirm-dialog" role="dialog" aria-modal="true" aria-labelledby="merge-title">
            <div class="confirm-dialog__box merge-dialog">
                <h2 id="merge-title">{move || t().merge_title}</h2>
                <Suspense fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match plan.await {
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                            Ok(plan) => {
                                let survivor_name = plan.survivor.name.clone();
                                let other_name = plan.other.name.clone();
                                view! {
                                    <p>{move || t().merge_keeps} " " <strong>{survivor_name.clone()}</strong> " (ID " {plan.survivor.id.get()} ")"</p>
                                    <p>{move || t().merge_deletes} " " <strong>{other_name.clone()}</strong> " (ID " {plan.other.id.get()} ")"</p>
                                    <p class="muted">{move || t().merge_combined}</p>
                                    {if plan.conflicts.is_empty() {
                                        view! { <p>{move || t().merge_no_conflicts}</p> }.into_any()
                                    } else {
                                        view! {
                                            <p>{move || t().merge_choose}</p>
                                            <table class="merge-table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{move || t().merge_field}</th>
                                                        <th scope="col">{plan.survivor.name.clone()}</th>
                                                        <th scope="col">{plan.other.name.clone()}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {plan.conflicts.into_iter().map(|conflict| {
                                                        let field = conflict.field.clone();
                                                        let label_key = conflict.field.clone();
                                                        let label = conflict.label.clone();
                                                        let label = move || label.clone()
                                                            .or_else(|| t().field_label(&label_key).map(str::to_string))
                                                            .unwrap_or_default();
                                                        let name = format!("merge-{}", conflict.field);
                                                        let mine = field.clone();
                                                        let theirs = field.clone();
                                                        view! {
                                                            <tr data-field=field.clone()>
                                                                <th scope="row">{label}</th>
                                                                <td>
                                                                    <label>
                                                                        <input type="radio" name=name.clone() checked=true
                                                                            on:change=move |_| take_other.update(|s| { s.remove(&mine); }) />
                                                                        " " {conflict.survivor.clone()}
                                                                    </label>
                                                                </td>
                                                                <td>
                                                                    <label>
                                                                        <input type="radio" name=name
                                                                            on:change=move |_| take_other.update(|s| { s.insert(theirs.clone()); }) />
                                                                        " " {conflict.other.clone()}
                                                                    </label>
                                                                </td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        }.into_any()
                                    }}
                                }
                                .into_any()
                            }
                        }
                    })}
                </Suspense>
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <div class="confirm-dialog__actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{move || t().cancel}</button>
                    <button type="button" class="button button--danger" disabled=move || busy.get() on:click=confirm>
                        {move || t().merge}
                    </button>
                </div>
            </div>
        </div>
    }
    .into_any()
}
