//! All SQL of main-contact links and merges. Every change writes its
//! timeline events in the same transaction.

use chrono::Utc;

use crate::contacts::links::LinkFacts;
use crate::contacts::repo::{SaveError, StoredContact};
use crate::db::{BeginWrite, Db};
use crate::tenant::CompanyId;
use crate::timeline::model::EventKind;
use crate::timeline::repo::{EventData, NewEvent};
use crate::{insert_timeline_event, with_db};

/// A contact's main contact and the contacts linked to it (id, name).
pub async fn links_of(
    db: &Db,
    company: CompanyId,
    id: i64,
) -> Result<(Option<(i64, String)>, Vec<(i64, String)>), sqlx::Error> {
    let links = with_db!(db, pool => {
        let main: Option<(i64, String)> = sqlx::query_as(
            "SELECT m.id, m.name FROM contacts c
               JOIN contacts m ON m.company_id = c.company_id AND m.id = c.main_contact_id
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company.0)
        .bind(id)
        .fetch_optional(pool)
        .await?;
        let members: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM contacts WHERE company_id = $1 AND main_contact_id = $2 ORDER BY sort_key, id",
        )
        .bind(company.0)
        .bind(id)
        .fetch_all(pool)
        .await?;
        (main, members)
    });
    Ok(links)
}

/// Reads what [`crate::contacts::links::check_link`] needs, inside `$tx`;
/// evaluates to `None` when either contact is not the company's, else
/// `(facts, contact name, main name, the contact's current main)`.
macro_rules! link_facts {
    ($tx:expr, $company:expr, $contact:expr, $main:expr) => {{
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, name, main_contact_id FROM contacts WHERE company_id = $1 AND id IN ($2, $3)",
        )
        .bind($company.0)
        .bind($contact)
        .bind($main)
        .fetch_all(&mut *$tx)
        .await?;
        let find = |id: i64| rows.iter().find(|(i, _, _)| *i == id).cloned();
        match (find($contact), find($main)) {
            (Some((_, contact_name, current)), Some((_, main_name, main_of_main))) => {
                let members: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM contacts WHERE company_id = $1 AND main_contact_id = $2",
                )
                .bind($company.0)
                .bind($contact)
                .fetch_one(&mut *$tx)
                .await?;
                Some((
                    LinkFacts { contact: $contact, main: $main, contact_members: members, main_of_main },
                    contact_name,
                    main_name,
                    current,
                ))
            }
            _ => None,
        }
    }};
}

/// Records a link or unlink on both contacts' timelines.
macro_rules! link_events {
    ($tx:expr, $company:expr, $kind:expr, $actor:expr, ($a:expr, $a_name:expr), ($b:expr, $b_name:expr)) => {{
        for (on, other, other_name) in [($a, $b, $b_name), ($b, $a, $a_name)] {
            let event = NewEvent::new(on, $kind, $actor).with_data(&EventData::Contact {
                other_id: other,
                other_name: String::from(other_name),
            });
            insert_timeline_event!($tx, $company, &event);
        }
    }};
}

/// What became of a link request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// Either contact is not the company's.
    NotFound,
    Refused(crate::contacts::links::LinkRefusal),
}

/// Links `contact` to `main` (replacing a previous main), checking the rules
/// inside the transaction.
pub async fn link(
    db: &Db,
    company: CompanyId,
    contact: i64,
    main: i64,
    actor: i64,
) -> Result<LinkOutcome, sqlx::Error> {
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        match link_facts!(tx, company, contact, main) {
            None => LinkOutcome::NotFound,
            Some((facts, contact_name, main_name, current)) => {
                match crate::contacts::links::check_link(facts) {
                    Err(refusal) => LinkOutcome::Refused(refusal),
                    Ok(()) if current == Some(main) => LinkOutcome::Linked,
                    Ok(()) => {
                        if let Some(previous) = current {
                            let previous_name: String = sqlx::query_scalar(
                                "SELECT name FROM contacts WHERE company_id = $1 AND id = $2",
                            )
                            .bind(company.0)
                            .bind(previous)
                            .fetch_one(&mut *tx)
                            .await?;
                            link_events!(tx, company, EventKind::Unlinked, Some(actor),
                                (contact, contact_name.as_str()), (previous, previous_name.as_str()));
                        }
                        sqlx::query("UPDATE contacts SET main_contact_id = $1 WHERE company_id = $2 AND id = $3")
                            .bind(main)
                            .bind(company.0)
                            .bind(contact)
                            .execute(&mut *tx)
                            .await?;
                        link_events!(tx, company, EventKind::Linked, Some(actor),
                            (contact, contact_name.as_str()), (main, main_name.as_str()));
                        tx.commit().await?;
                        LinkOutcome::Linked
                    }
                }
            }
        }
    });
    Ok(outcome)
}

/// Unlinks `contact` from its main contact. `None`: no such contact;
/// `Some(false)`: it was not linked.
pub async fn unlink(
    db: &Db,
    company: CompanyId,
    contact: i64,
    actor: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT c.name, m.id, m.name FROM contacts c
               LEFT JOIN contacts m ON m.company_id = c.company_id AND m.id = c.main_contact_id
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company.0)
        .bind(contact)
        .fetch_optional(&mut *tx)
        .await?;
        match found {
            None => None,
            Some((_, None, _)) => Some(false),
            Some((name, Some(main), main_name)) => {
                sqlx::query("UPDATE contacts SET main_contact_id = NULL WHERE company_id = $1 AND id = $2")
                    .bind(company.0)
                    .bind(contact)
                    .execute(&mut *tx)
                    .await?;
                let main_name = main_name.unwrap_or_default();
                link_events!(tx, company, EventKind::Unlinked, Some(actor),
                    (contact, name.as_str()), (main, main_name.as_str()));
                tx.commit().await?;
                Some(true)
            }
        }
    });
    Ok(outcome)
}

/// Unlinks the members of `main`, inside the caller's transaction, recording
/// it on their timelines (deleting or merging away a main).
#[macro_export]
macro_rules! unlink_members {
    ($tx:expr, $company:expr, $main:expr, $main_name:expr, $actor:expr) => {{
        let members: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM contacts WHERE company_id = $1 AND main_contact_id = $2",
        )
        .bind($company.0)
        .bind($main)
        .fetch_all(&mut *$tx)
        .await?;
        sqlx::query("UPDATE contacts SET main_contact_id = NULL WHERE company_id = $1 AND main_contact_id = $2")
            .bind($company.0)
            .bind($main)
            .execute(&mut *$tx)
            .await?;
        for member in members {
            let event = $crate::timeline::repo::NewEvent::new(
                member,
                $crate::timeline::model::EventKind::Unlinked,
                $actor,
            )
            .with_data(&$crate::timeline::repo::EventData::Contact {
                other_id: $main,
                other_name: String::from($main_name),
            });
            $crate::insert_timeline_event!($tx, $company, &event);
        }
    }};
}

/// Merges `merged` into `survivor` in one transaction, if both are still
/// at the versions the merge was planned from (`SaveError::Stale` and
/// nothing written otherwise): the survivor takes
/// `contact` (the combined details), every conversation, timeline event and
/// linked contact of the other, and the merge on its timeline (`event`);
/// the other is deleted; a survivor without a photo takes the other's.
pub async fn merge(
    db: &Db,
    company: CompanyId,
    (survivor, merged): (i64, i64),
    (survivor_version, merged_version): (i64, i64),
    contact: &StoredContact,
    event: &NewEvent,
    actor: i64,
) -> Result<(), SaveError> {
    let now = Utc::now();
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let rows: Vec<(i64, Option<i64>, Option<String>, i64)> = sqlx::query_as(
            "SELECT id, main_contact_id, photo, version FROM contacts
              WHERE company_id = $1 AND id IN ($2, $3)",
        )
        .bind(company.0)
        .bind(survivor)
        .bind(merged)
        .fetch_all(&mut *tx)
        .await?;
        let find = |id: i64| rows.iter().find(|row| row.0 == id).cloned();
        let (
            Some((_, survivor_main, survivor_photo, _)),
            Some((_, merged_main, merged_photo, merged_now)),
        ) = (find(survivor), find(merged))
        else {
            return Err(SaveError::NotFound);
        };
        // The survivor's version is checked by its update below.
        if merged_now != merged_version {
            return Err(SaveError::Stale);
        }
        crate::write_contact_update!(tx, company, survivor, contact, now, survivor_version, actor);
        // The survivor's main: its own, else the other's (never itself).
        let main = survivor_main.filter(|m| *m != merged).or(merged_main.filter(|m| *m != survivor));
        // The other's members follow the survivor (or the survivor's main:
        // links stay one level deep).
        let members_main = main.unwrap_or(survivor);
        sqlx::query(
            "UPDATE contacts SET main_contact_id = CASE WHEN id = $1 THEN NULL ELSE $2 END
              WHERE company_id = $3 AND main_contact_id = $4",
        )
        .bind(members_main)
        .bind(members_main)
        .bind(company.0)
        .bind(merged)
        .execute(&mut *tx)
        .await?;
        let adopt_photo = survivor_photo.is_none() && merged_photo.is_some();
        sqlx::query(
            "UPDATE contacts SET main_contact_id = $1,
                    photo = CASE WHEN $2 THEN $3 ELSE photo END,
                    facebook_opened_at = COALESCE(facebook_opened_at,
                        (SELECT o.facebook_opened_at FROM contacts o WHERE o.company_id = $4 AND o.id = $5)),
                    widget_opened_at = COALESCE(widget_opened_at,
                        (SELECT o.widget_opened_at FROM contacts o WHERE o.company_id = $4 AND o.id = $5))
              WHERE company_id = $4 AND id = $6",
        )
        .bind(main)
        .bind(adopt_photo)
        .bind(&merged_photo)
        .bind(company.0)
        .bind(merged)
        .bind(survivor)
        .execute(&mut *tx)
        .await?;
        let mut moved = vec!["conversations", "timeline_events"];
        if adopt_photo {
            moved.push("contact_photos");
        }
        for table in moved {
            sqlx::query(&format!(
                "UPDATE {table} SET contact_id = $1 WHERE company_id = $2 AND contact_id = $3"
            ))
            .bind(survivor)
            .bind(company.0)
            .bind(merged)
            .execute(&mut *tx)
            .await?;
        }
        insert_timeline_event!(tx, company, event);
        sqlx::query("DELETE FROM contacts WHERE company_id = $1 AND id = $2")
            .bind(company.0)
            .bind(merged)
            .execute(&mut *tx)
            .await?;
        crate::contacts::search_rank_repo::SettleRanks::settle_ranks(&mut *tx, company).await?;
        tx.commit().await?;
    });
    Ok(())
}
