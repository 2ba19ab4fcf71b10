//! `/conversations`: "Atendimentos > Conversas": every conversation of the
//! company, most recent activity first, with search and filters (channel,
//! status, agent, period). While the page is visible and only its first
//! page is loaded, that page is fetched again every
//! [`CONVERSATIONS_POLL_EVERY`](crate::conversations::model::CONVERSATIONS_POLL_EVERY),
//! so a customer who writes shows up at the top without a reload.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::conversations::api::{list_agents, list_conversations};
use crate::conversations::components::ConversationList;
use crate::conversations::model::{
    ConversationFilter, ConversationStatus, ConversationSummary, CONVERSATIONS_POLL_EVERY,
};
use crate::conversations::Channel;
use crate::i18n::use_i18n;
use crate::ui::ErrorMessage;

/// The list of conversations.
#[component]
pub fn ConversationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let filter = RwSignal::new(ConversationFilter::default());
    let page = Resource::new(move || filter.get(), |f| list_conversations(f, None));
    let agents = Resource::new(|| (), |_| list_agents());
    // Pages fetched with "Carregar mais", and where the next one starts.
    let older = RwSignal::new(Vec::<ConversationSummary>::new());
    let next = RwSignal::new(None::<Option<String>>);
    // Once older pages are shown, a fresh first page would shift rows
    // between it and them: the user reloads instead.
    crate::ui::every_while_visible(CONVERSATIONS_POLL_EVERY, move || {
        if older.with_untracked(Vec::is_empty) {
            page.refetch();
        }
    });
    let set_filter = move |change: &dyn Fn(&mut ConversationFilter)| {
        older.set(Vec::new());
        next.set(None);
        filter.update(|f| change(f));
    };
    let text_value = |ev: &leptos::ev::Event| {
        let value = event_target_value(ev);
        (!value.trim().is_empty()).then_some(value)
    };

    view! {
        <section class="conversations-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || t().conversations_title}</h1>
            </header>
            <form class="conversation-filters" on:submit=|ev| ev.prevent_default()>
                <label class="conversation-filters__search">
                    <span class="visually-hidden">{move || t().conversations_search}</span>
                    <input type="search" name="query" placeholder=move || t().conversations_search
                        on:change=move |ev| { let q = event_target_value(&ev); set_filter(&|f| f.query = q.clone()) } />
                </label>
                <label>
                    <span>{move || t().filter_channel}</span>
                    <select name="channel" on:change=move |ev| {
                        let channel = Channel::parse(&event_target_value(&ev));
                        set_filter(&|f| f.channel = channel)
                    }>
                        <option value="">{move || t().filter_all}</option>
                        {Channel::ALL.into_iter().map(|c| view! {
                            <option value=c.slug()>{move || t().channel(c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{move || t().filter_status}</span>
                    <select name="status" on:change=move |ev| {
                        let status = ConversationStatus::parse(&event_target_value(&ev));
                        set_filter(&|f| f.status = status)
                    }>
                        <option value="">{move || t().filter_all}</option>
                        <option value="open">{move || t().status_open}</option>
                        <option value="closed">{move || t().status_closed}</option>
                    </select>
                </label>
                <label>
                    <span>{move || t().filter_agent}</span>
                    <select name="agent" on:change=move |ev| {
                        let agent = event_target_value(&ev).parse::<i64>().ok();
                        set_filter(&|f| f.agent = agent)
                    }>
                        <option value="">{move || t().filter_all}</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                agents.await.unwrap_or_default().into_iter().map(|a| view! {
                                    <option value=a.id.to_string()>{a.name}</option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </label>
                <label>
                    <span>{move || t().filter_from}</span>
                    <input type="date" name="from" on:change=move |ev| { let v = text_value(&ev); set_filter(&|f| f.from = v.clone()) } />
                </label>
                <label>
                    <span>{move || t().filter_to}</span>
                    <input type="date" name="to" on:change=move |ev| { let v = text_value(&ev); set_filter(&|f| f.to = v.clone()) } />
                </label>
            </form>
            // A transition: the list stays while its first page is fetched again.
            <Transition fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        Ok(first) => {
                            let filtered = filter.with_untracked(|f| *f != ConversationFilter::default());
                            if first.conversations.is_empty() {
                                let empty = if filtered { t().conversations_no_match } else { t().conversations_empty };
                                return view! { <p class="empty-state">{empty}</p> }.into_any();
                            }
                            let first_next = first.next.clone();
                            let more = move || next.get().unwrap_or_else(|| first_next.clone());
                            let more_check = more.clone();
                            let load_more = move |_| {
                                if let Some(after) = more() {
                                    let current = filter.get_untracked();
                                    spawn_local(async move {
                                        if let Ok(page) = list_conversations(current, Some(after)).await {
                                            older.update(|list| list.extend(page.conversations));
                                            next.set(Some(page.next));
                                        }
                                    });
                                }
                            };
                            view! {
                                <ConversationList conversations=first.conversations show_contact=true />
                                {move || (!older.with(Vec::is_empty)).then(|| view! {
                                    <ConversationList conversations=older.get() show_contact=true />
                                })}
                                <Show when=move || more_check().is_some()>
                                    <button type="button" class="button" on:click=load_more.clone()>{move || t().load_more}</button>
                                </Show>
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
