//! A running import's progress bar (rows done of total, rows/s, errors so
//! far, time left, "Cancelar importação"), polled every second from the
//! database, so it survives a reload and shows the same on every server;
//! then the summary with the error report.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::use_i18n;
use crate::import_export::import_api::{cancel_import, import_status};
use crate::import_export::job::{format_duration, ImportJob, JobStatus};

/// "12345" → "12.345".
pub fn format_count(count: i64) -> String {
    let digits = count.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if count < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Progress while the job runs, the summary once it ended.
#[component]
pub fn ImportProgress(job: ImportJob) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = job.id;
    let job = RwSignal::new(job);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if job.with_untracked(|j| j.status.is_finished()) {
                    return;
                }
                spawn_local(async move {
                    if let Ok(fresh) = import_status(id).await {
                        job.set(fresh);
                    }
                });
            },
            std::time::Duration::from_millis(1000),
        );
        on_cleanup(move || {
            if let Ok(handle) = handle {
                handle.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = import_status;
    let cancel = move |_| {
        spawn_local(async move {
            if let Ok(fresh) = cancel_import(id).await {
                job.set(fresh);
            }
        });
    };
    view! {
        <section class="import-progress" aria-live="polite">
            <p class="import-progress__status">
                <strong>{move || t().import_status(job.with(|j| j.status))}</strong>
            </p>
            {move || {
                let current = job.get();
                if current.status.is_finished() {
                    view! { <ImportSummary job=current /> }.into_any()
                } else {
                    let rate = current.rows_per_second();
                    let eta = current.eta_seconds();
                    let interrupted = current.interrupted.then(|| {
                        view! {
                            <p class="import-progress__interrupted" data-testid="import-interrupted">
                                {move || t().import_interrupted}
                            </p>
                        }
                    });
                    view! {
                        {interrupted}
                        <progress class="import-progress__bar" max="100" value=format!("{:.1}", current.percent())></progress>
                        <p class="import-progress__rows">
                            <span data-testid="rows-done">{format_count(current.rows_done)}</span>
                            " " {move || t().import_rows_of} " "
                            {format_count(current.total_rows)}
                            {rate.map(|rate| view! { " · " {format_count(rate.round() as i64)} " " {move || t().import_rate} })}
                        </p>
                        <dl class="import-progress__figures">
                            <dt>{move || t().import_errors_so_far}</dt>
                            <dd>{format_count(current.failed)}</dd>
                            <dt>{move || t().import_eta}</dt>
                            <dd>{eta.map(format_duration).unwrap_or_else(|| "—".to_string())}</dd>
                        </dl>
                        <button type="button" class="button button--danger" disabled=current.cancel_requested on:click=cancel>
                            {move || t().import_cancel}
                        </button>
                    }
                    .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// The counters of an ended import, its error, and the error report.
#[component]
fn ImportSummary(job: ImportJob) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let figure = move |label: fn(&'static crate::i18n::Messages) -> &'static str,
                       value: i64,
                       key: &'static str| {
        view! {
            <div class="summary__figure" data-testid=key>
                <dt>{move || label(t())}</dt>
                <dd>{format_count(value)}</dd>
            </div>
        }
    };
    let report = (job.failed > 0).then(|| {
        view! {
            <a class="button" rel="external" download="" href=format!("/contacts/import/{}/errors.csv", job.id)>
                {move || t().import_error_report}
            </a>
        }
    });
    let stopped = (job.status == JobStatus::Failed)
        .then(|| job.error.clone())
        .flatten()
        .map(|error| view! { <p class="error-message" role="alert">{error}</p> });
    view! {
        {stopped}
        <dl class="summary">
            {figure(|m| m.import_created, job.created, "created")}
            {figure(|m| m.import_updated, job.updated, "updated")}
            {figure(|m| m.import_skipped, job.skipped, "skipped")}
            {figure(|m| m.import_failed, job.failed, "failed")}
        </dl>
        <div class="form-actions">
            {report}
            <a class="button button--primary" href="/contacts">{move || t().import_view_contacts}</a>
            <a class="button" href="/contacts/import">{move || t().import_another}</a>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_group_thousands() {
        assert_eq!(super::format_count(0), "0");
        assert_eq!(super::format_count(999), "999");
        assert_eq!(super::format_count(1_234_567), "1.234.567");
    }
}
