//! A contact's photo on its page: the image (or the initials), "Alterar
//! foto" (upload, checked in the browser and again on the server) and
//! "Remover foto".

use leptos::prelude::*;

use crate::contacts::components::initials;
use crate::contacts::photo::api::remove_photo;
use crate::contacts::photo::ACCEPT;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ui::ErrorMessage;

/// Just the avatar: the photo when there is one, the initials otherwise.
#[component]
pub fn Avatar(
    #[prop(into)] name: String,
    #[prop(into)] photo_url: Signal<Option<String>>,
    /// Extra class (`avatar--large`).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let initials = initials(&name);
    move || {
        match photo_url.get() {
        Some(url) => view! { <img class=format!("avatar avatar--photo {class}") src=url alt=name.clone() /> }.into_any(),
        None => view! { <span class=format!("avatar {class}") aria-hidden="true">{initials.clone()}</span> }.into_any(),
    }
    }
}

/// The photo with its actions (the contact page's header).
#[component]
pub fn ContactPhoto(id: ContactId, name: String, photo_url: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let photo = RwSignal::new(photo_url);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();

    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::contacts::photo::api::upload_photo;
            use crate::contacts::photo::precheck;
            use leptos::wasm_bindgen::JsCast;

            let Some(form) = form.get_untracked() else {
                return;
            };
            let input: Option<leptos::web_sys::HtmlInputElement> = form
                .query_selector("input[type=file]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into().ok());
            let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            if let Err(refused) = precheck(file.size(), &file.type_()) {
                error.set(Some(AppError::invalid("photo", refused.problem())));
                if let Some(input) = &input {
                    input.set_value("");
                }
                return;
            }
            let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else {
                return;
            };
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match upload_photo(data.into()).await {
                    Ok(url) => photo.set(Some(url)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
                if let Some(input) = &input {
                    input.set_value("");
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form, busy);
    };

    let remove = move |_| {
        leptos::task::spawn_local(async move {
            match remove_photo(id).await {
                Ok(()) => {
                    photo.set(None);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let message = move || {
        error.get().map(|e| match e {
            AppError::Validation(fields) => {
                let text = fields
                    .into_iter()
                    .map(|f| f.text(i18n.locale()))
                    .collect::<Vec<_>>()
                    .join(" ");
                view! { <p class="field__error" role="alert">{text}</p> }.into_any()
            }
            other => view! { <ErrorMessage error=other /> }.into_any(),
        })
    };

    view! {
        <div class="contact-photo">
            <Avatar name=name photo_url=photo class="avatar--large" />
            <form class="contact-photo__actions" node_ref=form on:submit=|ev| ev.prevent_default()>
                <input type="hidden" name="id" value=id.get() />
                <label class="button button--small contact-photo__pick">
                    {move || if busy.get() { t().saving } else { t().photo_change }}
                    <input class="visually-hidden" type="file" name="photo" accept=ACCEPT on:change=on_change />
                </label>
                <Show when=move || photo.with(Option::is_some)>
                    <button type="button" class="button button--small" on:click=remove>{move || t().photo_remove}</button>
                </Show>
            </form>
            {message}
        </div>
    }
}
