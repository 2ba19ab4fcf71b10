//! `/settings/agents`: the company's team (admins only): invite, deactivate,
//! reactivate.

use leptos::prelude::*;

use crate::auth::api::{list_members, Invite as InviteAction, SetMemberActive};
use crate::auth::model::{Member, Role};
use crate::auth::use_current_user;
use crate::i18n::use_i18n;
use crate::ui::ErrorMessage;

/// The agents page; agents see that it is for admins only.
#[component]
pub fn AgentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    view! {
        <section class="agents-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().agents_title}</h1>
            </header>
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) if user.is_admin() => view! { <TeamManager me=user.user_id /> }.into_any(),
                        _ => view! {
                            <p class="error-message" role="alert">{move || i18n.t().admin_only}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The invitation form and the member table.
#[component]
fn TeamManager(me: i64) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let invite = ServerAction::<InviteAction>::new();
    let set_active = ServerAction::<SetMemberActive>::new();
    let members = Resource::new(move || set_active.version().get(), |_| list_members());
    let link = move || {
        invite.value().get().and_then(Result::ok).map(|invite| {
            let origin = origin();
            format!("{origin}{}", invite.path)
        })
    };
    let copied = RwSignal::new(false);

    view! {
        <div class="invite-box">
            <h2 class="invite-box__title">{move || t().agents_invite}</h2>
            <ActionForm action=invite attr:class="invite-box__form">
                <label class="field__label" for="invite-role">{move || t().agents_invite_role}</label>
                <select id="invite-role" name="role" class="field__input">
                    <option value="agent" selected>{move || t().role_agent}</option>
                    <option value="admin">{move || t().role_admin}</option>
                </select>
                <button class="button button--primary" type="submit" on:click=move |_| copied.set(false)>
                    {move || t().agents_invite}
                </button>
            </ActionForm>
            {move || invite.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })}
            {move || link().map(|link| {
                let to_copy = link.clone();
                view! {
                    <p class="muted">{move || t().agents_link_hint}</p>
                    <div class="invite-box__link">
                        <input class="field__input" readonly aria-label="Link" value=link.clone() />
                        <button
                            class="button"
                            type="button"
                            on:click=move |_| {
                                copy_to_clipboard(&to_copy);
                                copied.set(true);
                            }
                        >
                            {move || if copied.get() { t().copied } else { t().copy }}
                        </button>
                    </div>
                }
            })}
        </div>
        {move || set_active.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })}
        <Transition>
            {move || Suspend::new(async move {
                match members.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(members) => view! { <MemberTable members me set_active /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MemberTable(
    members: Vec<Member>,
    me: i64,
    set_active: ServerAction<SetMemberActive>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <table class="data-table member-table">
            <thead>
                <tr>
                    <th>{move || t().col_name}</th>
                    <th>{move || t().col_email}</th>
                    <th>{move || t().col_role}</th>
                    <th>{move || t().col_status}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {members
                    .into_iter()
                    .map(|member| {
                        let id = member.id;
                        let active = member.active;
                        view! {
                            <tr data-user-id=id>
                                <td>{member.name}</td>
                                <td>{member.email}</td>
                                <td>{move || match member.role {
                                    Role::Admin => t().role_admin,
                                    Role::Agent => t().role_agent,
                                }}</td>
                                <td>{move || if active { t().agents_active } else { t().agents_inactive }}</td>
                                <td>
                                    <Show when=move || id != me>
                                        <button
                                            class="button button--small"
                                            type="button"
                                            on:click=move |_| {
                                                set_active.dispatch(SetMemberActive { user_id: id, active: !active });
                                            }
                                        >
                                            {move || if active { t().agents_deactivate } else { t().agents_reactivate }}
                                        </button>
                                    </Show>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The page's origin (`https://host`), for the link to hand out.
fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
    }
}
