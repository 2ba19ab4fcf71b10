//! `/settings/agents`: the company's team (admins only): invite, see and
//! revoke pending invitations, deactivate, reactivate, and what agents may
//! do beyond their role.

use leptos::prelude::*;

use crate::auth::access::Grant;
use crate::auth::api::{
    list_members, me, pending_invites, Invite as InviteAction, RevokeInvite, SetAgentGrant,
    SetMemberActive,
};
use crate::auth::model::{AgentGrants, Member, PendingInvite, Role};
use crate::auth::use_current_user;
use crate::i18n::{use_i18n, Messages};
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
                        Ok(Some(user)) if user.is_admin() => view! {
                            <TeamManager me=user.user_id />
                            <AgentGrantsBox />
                        }
                        .into_any(),
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
        <PendingInvites invite />
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

/// "Convites pendentes": the invitations nobody accepted that still work,
/// each with "Revogar". Reloaded after each new invitation.
#[component]
fn PendingInvites(invite: ServerAction<InviteAction>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let revoke = ServerAction::<RevokeInvite>::new();
    let pending = Resource::new(
        move || (invite.version().get(), revoke.version().get()),
        |_| pending_invites(),
    );
    view! {
        <section class="pending-invites" aria-labelledby="pending-title">
            <h2 class="invite-box__title" id="pending-title">{move || t().agents_pending_title}</h2>
            {move || revoke.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })}
            <Transition>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        Ok(list) if list.is_empty() => {
                            view! { <p class="muted">{move || t().agents_pending_none}</p> }.into_any()
                        }
                        Ok(list) => view! { <PendingTable list revoke /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PendingTable(list: Vec<PendingInvite>, revoke: ServerAction<RevokeInvite>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <table class="data-table pending-table">
            <thead>
                <tr>
                    <th>{move || t().col_role}</th>
                    <th>{move || t().col_invited_by}</th>
                    <th>{move || t().col_valid_until}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|pending| {
                        let id = pending.id.clone();
                        view! {
                            <tr>
                                <td>{move || match pending.role {
                                    Role::Admin => t().role_admin,
                                    Role::Agent => t().role_agent,
                                }}</td>
                                <td>{pending.invited_by}</td>
                                <td><crate::ui::LocalTime at=pending.expires_at.clone() /></td>
                                <td>
                                    <button
                                        class="button button--small"
                                        type="button"
                                        on:click=move |_| {
                                            revoke.dispatch(RevokeInvite { id: id.clone() });
                                        }
                                    >
                                        {move || t().agents_revoke}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// "Permissões dos agentes": export and import for agents, each saved as
/// soon as its box is ticked or cleared. The grants are read afresh when
/// the page opens (the signed-in user loaded with the document may be
/// older), and each box shows what the server answered.
#[component]
fn AgentGrantsBox() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let save = ServerAction::<SetAgentGrant>::new();
    let loaded = Resource::new(|| (), |_| me());
    view! {
        <section class="grants-box" aria-labelledby="grants-title">
            <h2 class="invite-box__title" id="grants-title">{move || t().grants_title}</h2>
            <p class="muted">{move || t().grants_intro}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let grants = match loaded.await {
                        Ok(Some(user)) => user.agent_grants,
                        Ok(None) => AgentGrants::default(),
                        Err(error) => return view! { <ErrorMessage error /> }.into_any(),
                    };
                    let current = move || match save.value().get() {
                        Some(Ok(saved)) => saved,
                        _ => grants,
                    };
                    let check = move |grant: Grant, label: fn(&'static Messages) -> &'static str| {
                        let on = move || {
                            let now = current();
                            match grant {
                                Grant::Export => now.export,
                                Grant::Import => now.import,
                            }
                        };
                        view! {
                            <label class="check-field">
                                <input type="checkbox"
                                    prop:checked=on
                                    disabled=move || save.pending().get()
                                    on:change=move |ev| {
                                        save.dispatch(SetAgentGrant { grant, allowed: event_target_checked(&ev) });
                                    } />
                                {move || label(t())}
                            </label>
                        }
                    };
                    view! {
                        {check(Grant::Export, |m| m.grant_export)}
                        {check(Grant::Import, |m| m.grant_import)}
                    }
                    .into_any()
                })}
            </Suspense>
            {move || match save.value().get() {
                Some(Ok(_)) => view! { <p class="muted" role="status">{move || t().grants_saved}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage error /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
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
