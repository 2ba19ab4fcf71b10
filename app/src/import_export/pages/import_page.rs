//! `/contacts/import`: "Importar contatos": upload a file, and the latest
//! imports.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::import_export::components::{FileUpload, ImportHistory};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <section class="import-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || t().import_title}</h1>
            </header>
            <p class="muted">{move || t().import_intro}</p>
            <FileUpload />
            <ImportHistory />
        </section>
    }
    .into_any()
}
