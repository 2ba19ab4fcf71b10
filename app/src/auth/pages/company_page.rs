//! `/settings/company`: the company's own settings (admins only). Today its
//! time zone, in which CSV exports write times.

use leptos::prelude::*;

use crate::auth::api::{me, SetCompanyTimeZone};
use crate::i18n::use_i18n;
use crate::time_zone::BRAZILIAN_ZONES;
use crate::ui::{AdminOnly, ErrorMessage};

/// The company page; agents see that it is for admins only.
#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="company-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().company_title}</h1>
            </header>
            <AdminOnly><TimeZoneBox /></AdminOnly>
        </section>
    }
}

/// "Fuso horário da empresa": Brazil's zones offered first, any IANA name
/// accepted (the server checks it). The zone is read afresh when the page
/// opens, as the signed-in user loaded with the document may be older.
#[component]
fn TimeZoneBox() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let save = ServerAction::<SetCompanyTimeZone>::new();
    let loaded = Resource::new(|| (), |_| me());
    view! {
        <section class="settings-box" aria-labelledby="time-zone-title">
            <h2 class="invite-box__title" id="time-zone-title">{move || t().time_zone_title}</h2>
            <p class="muted" id="time-zone-hint">{move || t().time_zone_hint}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let current = match loaded.await {
                        Ok(Some(user)) => user.time_zone,
                        Ok(None) => crate::time_zone::DEFAULT_ZONE.to_string(),
                        Err(error) => return view! { <ErrorMessage error /> }.into_any(),
                    };
                    view! {
                        <ActionForm action=save attr:class="settings-box__form">
                            <label class="field__label" for="company-time-zone">{move || t().time_zone_label}</label>
                            <input id="company-time-zone" class="field__input" name="time_zone"
                                list="brazilian-zones" autocomplete="off" required
                                maxlength=crate::time_zone::MAX_ZONE_LEN
                                aria-describedby="time-zone-hint"
                                value=current />
                            <datalist id="brazilian-zones">
                                {BRAZILIAN_ZONES
                                    .iter()
                                    .map(|(zone, label)| view! { <option value=*zone>{*label}</option> })
                                    .collect_view()}
                            </datalist>
                            <button class="button button--primary" type="submit" disabled=move || save.pending().get()>
                                {move || t().save}
                            </button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
            {move || match save.value().get() {
                Some(Ok(zone)) => view! {
                    <p class="muted" role="status">{move || t().time_zone_saved.replace("{zone}", &zone)}</p>
                }
                .into_any(),
                Some(Err(error)) => view! { <ErrorMessage error /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
