//! What only admins may see on a settings page.

use leptos::prelude::*;

use crate::auth::use_current_user;
use crate::i18n::use_i18n;

/// Its children for an admin; for anyone else, that the page is for admins
/// only (the server refuses their calls anyway: see `auth::access`).
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) if user.is_admin() => children().into_any(),
                        _ => view! {
                            <p class="error-message" role="alert">{move || i18n.t().admin_only}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
