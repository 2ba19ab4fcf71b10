//! `/contacts/import/:id`: one import: the mapping step while it waits for
//! it, then its progress, then its summary. The URL is the job, so a reload
//! (or another agent opening it) lands on the same step.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::import_export::components::{ColumnMapping, ImportProgress};
use crate::import_export::import_api::load_import_preview;
use crate::import_export::job::JobStatus;
use crate::ui::ErrorMessage;

#[component]
pub fn ImportJobPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = crate::ui::route_id();
    let version = RwSignal::new(0u32);
    let preview = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| load_import_preview(id),
    );
    let started = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <section class="import-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || t().import_title}</h1>
            </header>
            <Transition>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(preview) => {
                            let job = preview.job.clone();
                            let facts = view! {
                                <p class="import-page__file">
                                    <strong>{job.file_name.clone()}</strong>
                                    <span class="muted">
                                        " · " {move || t().import_rows} ": " {crate::import_export::components::import_progress::format_count(job.total_rows)}
                                        " · " {move || t().import_encoding} ": " {job.encoding.clone()}
                                        " · " {move || t().import_delimiter} ": " {job.delimiter.clone()}
                                    </span>
                                </p>
                            };
                            let step = if job.status == JobStatus::Uploaded {
                                view! { <ColumnMapping preview started /> }.into_any()
                            } else {
                                view! { <ImportProgress job /> }.into_any()
                            };
                            view! { {facts} {step} }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
