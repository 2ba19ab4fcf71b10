//! "Importações recentes": the company's latest imports, each linking to
//! its page (mapping, progress or summary).

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::import_export::components::import_progress::format_count;
use crate::import_export::import_api::list_imports;
use crate::ui::ErrorMessage;

#[component]
pub fn ImportHistory() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let jobs = Resource::new(|| (), |_| list_imports());
    view! {
        <section class="import-history" aria-labelledby="history-title">
            <h2 id="history-title" class="section-title">{move || t().import_history}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Ok(jobs) if jobs.is_empty() => view! { <p class="empty-state">{move || t().import_none}</p> }.into_any(),
                        Ok(jobs) => view! {
                            <ul class="import-history__list">
                                {jobs.into_iter().map(|job| {
                                    let when = chrono::DateTime::parse_from_rfc3339(&job.created_at)
                                        .map(|at| at.format("%d/%m/%Y %H:%M").to_string())
                                        .unwrap_or_default();
                                    let status = job.status;
                                    let interrupted = job.interrupted;
                                    let label = move || if interrupted {
                                        t().import_status_interrupted
                                    } else {
                                        t().import_status(status)
                                    };
                                    view! {
                                        <li class="import-history__item">
                                            <a href=format!("/contacts/import/{}", job.id)>{job.file_name.clone()}</a>
                                            <span class="muted">" · " {when} " · " {move || t().import_by} " " {job.created_by.clone()}</span>
                                            <span class="badge" data-testid="import-history-status">{label}</span>
                                            <span class="muted">{format_count(job.rows_done)} " / " {format_count(job.total_rows)}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
