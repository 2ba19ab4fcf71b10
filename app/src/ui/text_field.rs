//! The labelled input of every form: label, input, an optional hint and
//! the field's message, tied together for screen readers
//! (`aria-describedby`, `aria-invalid`).

use leptos::prelude::*;

/// A labelled input with its field message. Either part of a submitted
/// form (give `name`; the browser keeps the value) or controlled (give
/// `value` and `on_input`; the page keeps it).
#[component]
pub fn TextField(
    /// The input's id, unique in the page; the message's id is derived.
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The field's message (the server's or the browser's check), if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The input's name in a submitted form (the server function's argument).
    #[prop(optional)]
    name: Option<&'static str>,
    /// The input type (`text`, `email`, `password`, `tel`).
    #[prop(default = "text")]
    kind: &'static str,
    /// The browser's autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Whether the browser refuses to submit it empty.
    #[prop(optional)]
    required: bool,
    /// A controlled input's value.
    #[prop(optional, into)]
    value: Option<Signal<String>>,
    /// Called with the text on every keystroke.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
    /// Called when the input loses focus.
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
    /// A hint under the input.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{move || label.get()}</label>
            <input
                id=id
                class="field__input"
                type=kind
                name=name
                autocomplete=autocomplete
                required=required
                // An uncontrolled input's value is never set (None sets nothing).
                prop:value=move || value.map(|value| value.get())
                on:input=move |ev| {
                    if let Some(on_input) = on_input {
                        on_input.run(event_target_value(&ev));
                    }
                }
                on:blur=move |_| {
                    if let Some(on_blur) = on_blur {
                        on_blur.run(());
                    }
                }
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            {hint.map(|hint| view! { <p class="field__hint">{move || hint.get()}</p> })}
            <p class="field__error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
