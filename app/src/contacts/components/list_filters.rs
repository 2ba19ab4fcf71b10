//! The list's filters: "Organização" and "Grupo" pickers beside the search.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::contacts::details_api::load_directory;
use crate::contacts::urls::{ListQuery, Panel};
use crate::custom_fields::components::CustomFieldFilter;
use crate::i18n::use_i18n;

/// Two selects that put `org` and `group` in the URL (the search stays).
#[component]
pub fn ListFilters(
    /// What the list shows now (from the URL).
    #[prop(into)]
    query: Signal<ListQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let navigate = use_navigate();
    let directory = Resource::new(|| (), |_| load_directory());
    let go = Callback::new(move |target: ListQuery| {
        navigate(
            &target.url(Panel::Closed),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let directory = directory.await.unwrap_or_default();
                let organizations = directory.organizations;
                let groups = directory.groups;
                view! {
                    <div class="list-filters">
                        <div class="list-filters__filter">
                            <label class="list-filters__label" for="filter-organization">{move || t().field_organization}</label>
                            <select
                                id="filter-organization"
                                class="field__input"
                                prop:value=move || query.with(|q| q.organization.map(|id| id.to_string()).unwrap_or_default())
                                on:change=move |ev| {
                                    let organization = event_target_value(&ev).parse().ok();
                                    go.run(ListQuery { organization, ..query.get_untracked() });
                                }
                            >
                                <option value="">{move || t().filter_all_organizations}</option>
                                {organizations.into_iter().map(|o| view! {
                                    <option value=o.id.to_string() selected=move || query.with(|q| q.organization == Some(o.id))>{o.name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="list-filters__filter">
                            <label class="list-filters__label" for="filter-group">{move || t().field_group}</label>
                            <select
                                id="filter-group"
                                class="field__input"
                                prop:value=move || query.with(|q| q.group.map(|id| id.to_string()).unwrap_or_default())
                                on:change=move |ev| {
                                    let group = event_target_value(&ev).parse().ok();
                                    go.run(ListQuery { group, ..query.get_untracked() });
                                }
                            >
                                <option value="">{move || t().filter_all_groups}</option>
                                {groups.into_iter().map(|g| view! {
                                    <option value=g.id.to_string() selected=move || query.with(|q| q.group == Some(g.id))>{g.name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                }
            })}
        </Suspense>
        <CustomFieldFilter query go />
    }
}
