//! `/contacts/import`: "Importar contatos": upload a file, and the latest
//! imports (admins, and agents an admin allowed to import).

use leptos::prelude::*;

use crate::auth::access::Grant;
use crate::auth::use_current_user;
use crate::i18n::use_i18n;
use crate::import_export::components::{FileUpload, ImportHistory};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let user = use_current_user();
    view! {
        <section class="import-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || t().import_title}</h1>
            </header>
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) if user.may(Grant::Import) => view! {
                            <p class="muted">{move || t().import_intro}</p>
                            <FileUpload />
                            <ImportHistory />
                        }
                        .into_any(),
                        _ => view! {
                            <p class="error-message" role="alert">{move || t().import_not_granted}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
