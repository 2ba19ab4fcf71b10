//! A contact's custom values as rows of its information list.

use leptos::prelude::*;

use crate::custom_fields::model::CustomValue;
use crate::custom_fields::values::display_value;
use crate::i18n::use_i18n;

/// One `<div><dt/><dd/></div>` per filled custom field, formatted the
/// Brazilian way (dates DD/MM/AAAA, R$ 1.234,56, CPF with punctuation).
#[component]
pub fn CustomValueRows(values: Vec<CustomValue>) -> impl IntoView {
    let i18n = use_i18n();
    values
        .into_iter()
        .map(|value| {
            let shown = move || {
                let t = i18n.t();
                display_value(
                    value.field_type,
                    value.value.as_deref(),
                    &value.options,
                    t.cf_yes,
                    t.cf_no,
                )
            };
            view! {
                <div class="contact-info__row" data-field=value.key.clone()>
                    <dt>{value.label.clone()}</dt>
                    <dd>{shown}</dd>
                </div>
            }
        })
        .collect_view()
}
