//! "Enviar arquivo": picks a CSV and uploads it to `POST /contacts/import`
//! with a progress bar (XMLHttpRequest reports upload progress; fetch does
//! not), then opens the mapping step.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// The upload form.
#[component]
pub fn FileUpload() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let input = NodeRef::<leptos::html::Input>::new();
    // Some(fraction sent) while uploading.
    let progress = RwSignal::new(None::<f64>);
    // None: no error; Some(None): the network failed.
    let error = RwSignal::new(None::<Option<AppError>>);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = input
                .get()
                .and_then(|element| element.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            error.set(None);
            progress.set(Some(0.0));
            let navigate = navigate.clone();
            send_file(
                file,
                progress,
                Box::new(move |result| match result {
                    Ok(id) => navigate(&format!("/contacts/import/{id}"), Default::default()),
                    Err(failure) => {
                        progress.set(None);
                        error.set(Some(failure));
                    }
                }),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&input, &navigate);
    };
    view! {
        <form class="file-upload" on:submit=on_submit>
            <div class="field">
                <label class="field__label" for="import-file">{move || t().import_file}</label>
                <input id="import-file" class="field__input" type="file" name="file"
                    accept=".csv,.txt,text/csv" required node_ref=input />
            </div>
            <button type="submit" class="button button--primary" disabled=move || progress.get().is_some()>
                {move || t().import_send}
            </button>
            {move || progress.get().map(|sent| view! {
                <div class="upload-progress" role="status">
                    <progress max="100" value=(sent * 100.0).round().to_string()></progress>
                    <span>{move || if sent >= 1.0 { t().import_checking } else { t().import_uploading }}</span>
                </div>
            })}
            {move || error.get().map(|failure| view! {
                <p class="error-message" role="alert">
                    {move || match &failure {
                        Some(error) => t().error(error),
                        None => t().error_network.to_string(),
                    }}
                </p>
            })}
        </form>
    }
    .into_any()
}

/// Sends the file as the request body; `done` gets the new job's id or the
/// error (`None`: the network failed).
#[cfg(feature = "hydrate")]
fn send_file(
    file: web_sys::File,
    progress: RwSignal<Option<f64>>,
    done: Box<dyn Fn(Result<i64, Option<AppError>>)>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Ok(request) = web_sys::XmlHttpRequest::new() else {
        done(Err(None));
        return;
    };
    let name: String =
        percent_encoding::utf8_percent_encode(&file.name(), percent_encoding::NON_ALPHANUMERIC)
            .collect();
    if request
        .open("POST", &format!("/contacts/import?name={name}"))
        .is_err()
    {
        done(Err(None));
        return;
    }
    let _ = request.set_request_header("Content-Type", "text/csv");
    if let Ok(upload) = request.upload() {
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    progress.set(Some(event.loaded() / event.total()));
                }
            },
        );
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = std::rc::Rc::new(done);
    let finished = request.clone();
    let on_done = done.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let status = finished.status().unwrap_or(0);
        let body = finished.response_text().ok().flatten().unwrap_or_default();
        if status == 201 {
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["id"].as_i64());
            on_done(id.ok_or(None));
        } else {
            on_done(Err(serde_json::from_str::<AppError>(&body).ok()));
        }
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || done(Err(None)));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if request.send_with_opt_blob(Some(&file)).is_err() {
        // onerror reports it.
    }
}
