//! "⋮" (Mais opções) beside "Adicionar contato": import a CSV, or export
//! the list as it is filtered now, as a Brazilian-Excel CSV or a plain
//! RFC 4180 one. Each item shows only to users who may use it (admins, and
//! agents an admin allowed; `auth::access::Grant`).

use leptos::prelude::*;

use crate::auth::access::Grant;
use crate::auth::use_current_user;
use crate::contacts::urls::ListQuery;
use crate::i18n::{use_i18n, Messages};
use crate::import_export::csv_format::CsvFlavor;
use crate::ui::{Icon, IconKind};

/// The menu button and its items. Escape or a click elsewhere closes it.
#[component]
pub fn MoreOptionsMenu(
    /// What the list shows now: the export holds exactly that.
    #[prop(into)]
    query: Signal<ListQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let open = RwSignal::new(false);
    crate::ui::close_on_outside_click(open);
    let user = use_current_user();
    // The menu opens in the browser only, once the user is known.
    let may = move |grant: Grant| {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.may(grant))
    };
    let item = move |flavor: CsvFlavor, label: fn(&'static Messages) -> &'static str| {
        view! {
            <li role="none">
                <a role="menuitem" class="more-options__item" rel="external" download=""
                    href=move || query.with(|q| q.export_url(flavor))
                    on:click=move |_| open.set(false)>
                    {move || label(t())}
                </a>
            </li>
        }
    };
    view! {
        <div class="more-options" on:keydown=move |ev| {
            if ev.key() == "Escape" {
                open.set(false);
            }
        }>
            <button type="button" class="button more-options__button" aria-haspopup="menu"
                aria-label=move || t().more_options
                aria-expanded=move || open.get().to_string()
                on:click=move |ev| {
                    ev.stop_propagation();
                    open.update(|o| *o = !*o);
                }>
                <Icon kind=IconKind::More />
            </button>
            <Show when=move || open.get() && !may(Grant::Import) && !may(Grant::Export)>
                <p class="more-options__menu more-options__note" role="note">{move || t().files_not_granted}</p>
            </Show>
            <Show when=move || open.get() && (may(Grant::Import) || may(Grant::Export))>
                <ul class="more-options__menu" role="menu">
                    <Show when=move || may(Grant::Import)>
                        <li role="none">
                            <a role="menuitem" class="more-options__item" href="/contacts/import"
                                on:click=move |_| open.set(false)>
                                {move || t().import_csv}
                            </a>
                        </li>
                    </Show>
                    <Show when=move || may(Grant::Export)>
                        {item(CsvFlavor::Excel, |m| m.export_csv_excel)}
                        {item(CsvFlavor::Rfc4180, |m| m.export_csv_plain)}
                    </Show>
                </ul>
            </Show>
        </div>
    }
    .into_any()
}
