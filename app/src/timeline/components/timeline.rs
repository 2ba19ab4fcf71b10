//! A contact's "Linha do tempo": the comment box, then the events, newest
//! first, 50 at a time with "Carregar mais".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::timeline::api::{add_comment, load_timeline};
use crate::timeline::components::TimelineEntry;
use crate::timeline::model::TimelineEvent;
use crate::ui::ErrorMessage;

/// The timeline of contact `contact_id`. Bumping `refresh` reloads it
/// (e.g. after a conversation was closed next to it).
#[component]
pub fn Timeline(
    contact_id: ContactId,
    #[prop(optional, into)] refresh: Option<Signal<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let version = RwSignal::new(0u32);
    let first = Resource::new(
        move || (contact_id, version.get(), refresh.map(|r| r.get())),
        |(id, _, _)| load_timeline(id, None),
    );
    // Older pages fetched with "Carregar mais", and where the next one starts
    // (`None`: the first page's own `next_before`).
    let older = RwSignal::new(Vec::<TimelineEvent>::new());
    let next_before = RwSignal::new(None::<Option<i64>>);
    let reload = Callback::new(move |_: ()| {
        older.set(Vec::new());
        next_before.set(None);
        version.update(|v| *v += 1);
    });

    let text = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let comment_error = RwSignal::new(None::<AppError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sending.set(true);
        spawn_local(async move {
            match add_comment(contact_id, text.get_untracked()).await {
                Ok(_) => {
                    text.set(String::new());
                    comment_error.set(None);
                    reload.run(());
                }
                Err(error) => comment_error.set(Some(error)),
            }
            sending.set(false);
        });
    };

    view! {
        <div class="timeline-block">
            <form class="comment-box" on:submit=submit>
                <label class="visually-hidden" for=format!("comment-{contact_id}")>{move || t().comment_placeholder}</label>
                <textarea
                    id=format!("comment-{contact_id}")
                    class="comment-box__text"
                    rows="2"
                    placeholder=move || t().comment_placeholder
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                {move || comment_error.get().map(|error| view! { <ErrorMessage error /> })}
                <button type="submit" class="button button--primary comment-box__send"
                    disabled=move || sending.get() || text.get().trim().is_empty()>
                    {move || t().comment_add}
                </button>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        Ok(page) => {
                            let first_next = page.next_before;
                            let events = page.events;
                            let more = move || next_before.get().unwrap_or(first_next);
                            let load_more = move |_| {
                                if let Some(before) = more() {
                                    spawn_local(async move {
                                        if let Ok(page) = load_timeline(contact_id, Some(before)).await {
                                            older.update(|list| list.extend(page.events));
                                            next_before.set(Some(page.next_before));
                                        }
                                    });
                                }
                            };
                            view! {
                                <ol class="timeline">
                                    {events
                                        .into_iter()
                                        .map(|event| view! { <TimelineEntry event on_changed=reload /> })
                                        .collect_view()}
                                    <For
                                        each=move || older.get()
                                        key=|event| event.id
                                        children=move |event| view! { <TimelineEntry event on_changed=reload /> }
                                    />
                                </ol>
                                <Show when=move || more().is_some()>
                                    <button type="button" class="button timeline__more" on:click=load_more>
                                        {move || t().load_more}
                                    </button>
                                </Show>
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}
