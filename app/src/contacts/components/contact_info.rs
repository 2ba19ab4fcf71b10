//! A contact's information, as the side panel and the contact page list it.

use leptos::prelude::*;

use crate::contacts::form::Gender;
use crate::contacts::model::ContactDetails;
use crate::custom_fields::components::CustomValueRows;
use crate::i18n::use_i18n;

/// The filled fields of a contact, label and value.
#[component]
pub fn ContactInfo(
    contact: ContactDetails,
    /// Leave out the main contact and linked contacts (the contact page
    /// shows them with their own controls).
    #[prop(optional)]
    hide_links: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let row = |label: &'static str, value: Option<String>| {
        value.map(|value| {
            view! {
                <div class="contact-info__row">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    let join = |items: Vec<String>| (!items.is_empty()).then(|| items.join(", "));
    let gender = contact.gender.map(|g| match g {
        Gender::Female => t().gender_female,
        Gender::Male => t().gender_male,
        Gender::Other => t().gender_other,
    });
    let birth = contact.birth_date.as_deref().map(|d| {
        // YYYY-MM-DD -> DD/MM/YYYY
        let parts: Vec<&str> = d.split('-').collect();
        match parts.as_slice() {
            [y, m, day] => format!("{day}/{m}/{y}"),
            _ => d.to_string(),
        }
    });
    view! {
        <dl class="contact-info">
            {row(t().field_phone, join(contact.phones.iter().map(|p| p.display.clone()).collect()))}
            {row(t().field_email, join(contact.emails.clone()))}
            {row(t().field_address, contact.address.clone())}
            {row(t().field_organization, contact.organization.as_ref().map(|o| o.name.clone()))}
            {row(t().field_groups, join(contact.groups.iter().map(|g| g.name.clone()).collect()))}
            {row(t().field_birth_date, birth)}
            {row(t().field_document, contact.document.clone())}
            {row(t().field_gender, gender.map(str::to_string))}
            {row(t().field_facebook, contact.facebook.clone())}
            {row(t().field_instagram, contact.instagram.as_ref().map(|h| format!("@{h}")))}
            {row(t().field_telegram, contact.telegram.as_ref().map(|h| format!("@{h}")))}
            {row(t().field_website, contact.website.clone())}
            {row(t().field_notes, contact.notes.clone())}
            <CustomValueRows values=contact.custom.clone() />
            {(!hide_links).then(|| view! { <ContactLinks contact=contact.clone() /> })}
        </dl>
    }
}

/// "Contato principal" and "Contatos vinculados" rows, as links.
#[component]
pub fn ContactLinks(contact: ContactDetails) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let main = contact.main_contact.clone();
    let linked = contact.linked.clone();
    view! {
        {main.map(|main| view! {
            <div class="contact-info__row" data-testid="main-contact">
                <dt>{move || t().main_contact}</dt>
                <dd><a href=format!("/contacts/{}", main.id)>{main.name.clone()}</a></dd>
            </div>
        })}
        {(!linked.is_empty()).then(|| view! {
            <div class="contact-info__row" data-testid="linked-contacts">
                <dt>{move || t().linked_contacts}</dt>
                <dd>
                    <ul class="linked-list">
                        {linked.into_iter().map(|c| view! {
                            <li><a href=format!("/contacts/{}", c.id)>{c.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </dd>
            </div>
        })}
    }
    .into_any()
}
