//! One event of a timeline; the caller's own comments can be edited and
//! deleted in place.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::i18n::{use_i18n, Messages};
use crate::timeline::api::{delete_comment, edit_comment};
use crate::timeline::model::{CreatedOrigin, EventDetail, EventKind, FieldChange, TimelineEvent};
use crate::ui::{ErrorMessage, LocalTime};

/// What an event says, in the UI's language.
fn headline(t: &Messages, event: &TimelineEvent) -> String {
    let by = |actor: &Option<String>| {
        actor
            .as_ref()
            .map(|name| format!(" {} {name}", t.timeline_by))
            .unwrap_or_default()
    };
    match &event.detail {
        EventDetail::Created(CreatedOrigin::Form { by: who }) => {
            format!("{}{}", t.timeline_created, by(who))
        }
        EventDetail::Created(CreatedOrigin::Import { file_name, by: who }) => format!(
            "{} “{file_name}” {} {who}",
            t.timeline_imported, t.import_by
        ),
        EventDetail::Created(CreatedOrigin::Inbound { channel }) => {
            format!("{} {}", t.timeline_created_inbound, t.channel(*channel))
        }
        EventDetail::Edited { .. } => format!("{}{}", t.timeline_edited, by(&event.actor)),
        EventDetail::Conversation {
            channel,
            by_customer,
            ..
        } => match event.kind {
            EventKind::ConversationStarted if *by_customer => {
                format!("{} {}", t.timeline_started_customer, t.channel(*channel))
            }
            EventKind::ConversationStarted => format!(
                "{} {}{}",
                t.timeline_started,
                t.channel(*channel),
                by(&event.actor)
            ),
            EventKind::ConversationClosed => format!(
                "{} ({}){}",
                t.timeline_closed,
                t.channel(*channel),
                by(&event.actor)
            ),
            _ => format!(
                "{} ({}){}",
                t.timeline_reopened,
                t.channel(*channel),
                by(&event.actor)
            ),
        },
        EventDetail::Comment { deleted_at, .. } => {
            let what = if deleted_at.is_some() {
                t.timeline_comment_deleted
            } else {
                t.timeline_comment
            };
            format!("{what}{}", by(&event.actor))
        }
        EventDetail::Contact { other_name, .. } => {
            let what = match event.kind {
                EventKind::Linked => t.timeline_linked,
                _ => t.timeline_unlinked,
            };
            format!("{what}: {other_name}{}", by(&event.actor))
        }
        EventDetail::Merged {
            other_name,
            other_id,
            ..
        } => {
            format!(
                "{} {other_name} (ID {other_id}){}",
                t.timeline_merged,
                by(&event.actor)
            )
        }
    }
}

fn change_line(t: &Messages, change: &FieldChange) -> String {
    let label = change
        .label
        .clone()
        .or_else(|| t.field_label(&change.field).map(str::to_string))
        .unwrap_or_else(|| change.field.clone());
    let shown = |v: &str| {
        if v.is_empty() {
            t.timeline_empty_value.to_string()
        } else {
            v.to_string()
        }
    };
    format!("{label}: {} → {}", shown(&change.old), shown(&change.new))
}

fn shown_line(t: &Messages, field: &FieldChange) -> String {
    let label = field
        .label
        .clone()
        .or_else(|| t.field_label(&field.field).map(str::to_string))
        .unwrap_or_else(|| field.field.clone());
    format!("{label}: {}", field.new)
}

/// One entry. `on_changed` runs after the caller edited or deleted it.
#[component]
pub fn TimelineEntry(event: TimelineEvent, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = event.id;
    let kind = event.kind.slug();
    let at = event.at.clone();
    let stored = event.clone();
    let headline_text = move || headline(t(), &stored);
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let (comment, editable, edited) = match &event.detail {
        EventDetail::Comment {
            text,
            edited_at,
            deleted_at,
        } => (
            text.clone(),
            event.mine && deleted_at.is_none(),
            edited_at.is_some() && deleted_at.is_none(),
        ),
        _ => (None, false, false),
    };
    let draft = RwSignal::new(comment.clone().unwrap_or_default());
    let changes: Vec<FieldChange> = match &event.detail {
        EventDetail::Edited { changes } => changes.clone(),
        // The merged contact's data, shown as "Campo: valor".
        EventDetail::Merged { fields, .. } => fields
            .iter()
            .map(|f| FieldChange {
                field: f.field.clone(),
                label: f.label.clone(),
                old: String::new(),
                new: f.value.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let merged = matches!(event.detail, EventDetail::Merged { .. });
    let link = match &event.detail {
        EventDetail::Conversation {
            conversation_id, ..
        } if conversation_id.get() > 0 => Some(format!("/conversations/{conversation_id}")),
        EventDetail::Contact { other_id, .. } => Some(format!("/contacts/{other_id}")),
        _ => None,
    };
    let save = move |_| {
        spawn_local(async move {
            match edit_comment(id, draft.get_untracked()).await {
                Ok(()) => {
                    editing.set(false);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            match delete_comment(id).await {
                Ok(()) => on_changed.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="timeline__event" data-kind=kind>
            <div class="timeline__head">
                <LocalTime at=at.clone() />
                " "
                <span class="timeline__what">{headline_text}</span>
                {edited.then(|| view! { " " <span class="muted">{move || t().timeline_edited_mark}</span> })}
                {link.map(|href| view! { " " <a class="timeline__link" href=href>{move || t().open_conversation}</a> })}
            </div>
            {(!changes.is_empty()).then(|| view! {
                <ul class="timeline__changes">
                    {changes.into_iter().map(|change| {
                        let line = move || if merged { shown_line(t(), &change) } else { change_line(t(), &change) };
                        view! { <li>{line}</li> }
                    }).collect_view()}
                </ul>
            })}
            {comment.map(|text| view! {
                <Show when=move || !editing.get() fallback=move || view! {
                    <div class="timeline__edit">
                        <textarea class="comment-box__text" rows="2"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                        <button type="button" class="button button--primary" on:click=save>{move || t().save}</button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>{move || t().cancel}</button>
                    </div>
                }>
                    <p class="timeline__comment">{text.clone()}</p>
                </Show>
            })}
            {editable.then(|| view! {
                <div class="timeline__actions">
                    <button type="button" class="link-button" on:click=move |_| editing.set(true)>{move || t().edit}</button>
                    <button type="button" class="link-button link-button--danger" on:click=remove>{move || t().delete}</button>
                </div>
            })}
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
        </li>
    }
    .into_any()
}
