//! "Excluir?": the confirmation dialog before deleting something.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// While `open`, a modal asking to confirm a deletion: `body` says what
/// goes; "Cancelar" closes it, "Excluir" runs `on_confirm`.
#[component]
pub fn ConfirmDelete(
    open: RwSignal<bool>,
    #[prop(into)] body: Signal<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <Show when=move || open.get()>
            <div class="confirm-dialog" role="alertdialog" aria-modal="true" aria-label=move || t().delete>
                <div class="confirm-dialog__box">
                    <p>{move || body.get()}</p>
                    <div class="confirm-dialog__actions">
                        <button type="button" class="button" on:click=move |_| open.set(false)>{move || t().cancel}</button>
                        <button type="button" class="button button--danger" on:click=move |_| on_confirm.run(())>
                            {move || t().delete}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
    .into_any()
}
