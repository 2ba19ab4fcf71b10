//! All SQL of main-contact links and merges. Every change writes its
//! timeline events in the same transaction.

use chrono::Utc;

use crate::contacts::links::LinkFacts;
use crate::contacts::writer::{self, SaveError, StoredContact};
use crate::db::{with_conn, AsConn, BeginWrite, Conn, Db};
use crate::ids::ContactId;
use crate::tenant::CompanyId;
use crate::timeline::model::EventKind;
use crate::timeline::repo::append as append_event;
use crate::timeline::repo::{EventData, NewEvent};
use crate::with_db;

/// The contacts linked to a main contact, in name order: read through the
/// partial index `contacts_main` (migration 0020), never by walking the
/// company's contacts.
const MEMBERS: &str =
    "SELECT id, name FROM contacts WHERE company_id = $1 AND main_contact_id = $2 ORDER BY sort_key, id";

/// A contact's main contact and the contacts linked to it (id, name).
pub async fn links_of(
    db: &Db,
    company: CompanyId,
    id: ContactId,
) -> Result<(Option<(ContactId, String)>, Vec<(ContactId, String)>), sqlx::Error> {
    let links = with_db!(db, pool => {
        let main: Option<(ContactId, String)> = sqlx::query_as(
            "SELECT m.id, m.name FROM contacts c
               JOIN contacts m ON m.company_id = c.company_id AND m.id = c.main_contact_id
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company)
        .bind(id)
        .fetch_optional(pool)
        .await?;
        let members: Vec<(ContactId, String)> = sqlx::query_as(MEMBERS)
        .bind(company)
        .bind(id)
        .fetch_all(pool)
        .await?;
        (main, members)
    });
    Ok(links)
}

/// What [`crate::contacts::links::check_link`] needs, with the two names
/// and the contact's current main.
struct LinkContext {
    facts: LinkFacts,
    contact_name: String,
    main_name: String,
    current: Option<ContactId>,
}

/// Reads the [`LinkContext`] of linking `contact` to `main`; `None` when
/// either contact is not the company's.
async fn link_context(
    conn: &mut Conn<'_>,
    company: CompanyId,
    contact: ContactId,
    main: ContactId,
) -> Result<Option<LinkContext>, sqlx::Error> {
    with_conn!(conn, c => {
        let rows: Vec<(ContactId, String, Option<ContactId>)> = sqlx::query_as(
            "SELECT id, name, main_contact_id FROM contacts WHERE company_id = $1 AND id IN ($2, $3)",
        )
        .bind(company)
        .bind(contact)
        .bind(main)
        .fetch_all(&mut *c)
        .await?;
        let find = |id: ContactId| rows.iter().find(|(i, _, _)| *i == id).cloned();
        let (Some((_, contact_name, current)), Some((_, main_name, main_of_main))) =
            (find(contact), find(main))
        else {
            return Ok(None);
        };
        let contact_members: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM contacts WHERE company_id = $1 AND main_contact_id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_one(&mut *c)
        .await?;
        Ok(Some(LinkContext {
            facts: LinkFacts { contact, main, contact_members, main_of_main },
            contact_name,
            main_name,
            current,
        }))
    })
}

/// Records a link or unlink between `a` and `b` (id, name) on both
/// contacts' timelines.
async fn link_events(
    conn: &mut Conn<'_>,
    company: CompanyId,
    kind: EventKind,
    actor: Option<i64>,
    a: (ContactId, &str),
    b: (ContactId, &str),
) -> Result<(), sqlx::Error> {
    for (on, (other_id, other_name)) in [(a.0, b), (b.0, a)] {
        let event = NewEvent::new(on, kind, actor).with_data(&EventData::Contact {
            other_id,
            other_name: other_name.to_string(),
        });
        append_event(conn, company, &event).await?;
    }
    Ok(())
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
    contact: ContactId,
    main: ContactId,
    actor: i64,
) -> Result<LinkOutcome, sqlx::Error> {
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        match link_context(&mut tx.conn(), company, contact, main).await? {
            None => LinkOutcome::NotFound,
            Some(LinkContext { facts, contact_name, main_name, current }) => {
                match crate::contacts::links::check_link(facts) {
                    Err(refusal) => LinkOutcome::Refused(refusal),
                    Ok(()) if current == Some(main) => LinkOutcome::Linked,
                    Ok(()) => {
                        if let Some(previous) = current {
                            let previous_name: String = sqlx::query_scalar(
                                "SELECT name FROM contacts WHERE company_id = $1 AND id = $2",
                            )
                            .bind(company)
                            .bind(previous)
                            .fetch_one(&mut *tx)
                            .await?;
                            link_events(&mut tx.conn(), company, EventKind::Unlinked, Some(actor),
                                (contact, &contact_name), (previous, &previous_name)).await?;
                        }
                        sqlx::query("UPDATE contacts SET main_contact_id = $1 WHERE company_id = $2 AND id = $3")
                            .bind(main)
                            .bind(company)
                            .bind(contact)
                            .execute(&mut *tx)
                            .await?;
                        link_events(&mut tx.conn(), company, EventKind::Linked, Some(actor),
                            (contact, &contact_name), (main, &main_name)).await?;
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
    contact: ContactId,
    actor: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<(String, Option<ContactId>, Option<String>)> = sqlx::query_as(
            "SELECT c.name, m.id, m.name FROM contacts c
               LEFT JOIN contacts m ON m.company_id = c.company_id AND m.id = c.main_contact_id
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_optional(&mut *tx)
        .await?;
        match found {
            None => None,
            Some((_, None, _)) => Some(false),
            Some((name, Some(main), main_name)) => {
                sqlx::query("UPDATE contacts SET main_contact_id = NULL WHERE company_id = $1 AND id = $2")
                    .bind(company)
                    .bind(contact)
                    .execute(&mut *tx)
                    .await?;
                let main_name = main_name.unwrap_or_default();
                link_events(&mut tx.conn(), company, EventKind::Unlinked, Some(actor),
                    (contact, &name), (main, &main_name)).await?;
                tx.commit().await?;
                Some(true)
            }
        }
    });
    Ok(outcome)
}

/// Unlinks the members of `main`, inside the caller's transaction, recording
/// it on their timelines (deleting or merging away a main).
pub async fn unlink_members(
    conn: &mut Conn<'_>,
    company: CompanyId,
    main: (ContactId, &str),
    actor: Option<i64>,
) -> Result<(), sqlx::Error> {
    let (main_id, main_name) = main;
    let members: Vec<ContactId> = with_conn!(conn, c => {
        let members = sqlx::query_scalar(
            "SELECT id FROM contacts WHERE company_id = $1 AND main_contact_id = $2",
        )
        .bind(company)
        .bind(main_id)
        .fetch_all(&mut *c)
        .await?;
        sqlx::query("UPDATE contacts SET main_contact_id = NULL WHERE company_id = $1 AND main_contact_id = $2")
            .bind(company)
            .bind(main_id)
            .execute(&mut *c)
            .await?;
        members
    });
    for member in members {
        let event =
            NewEvent::new(member, EventKind::Unlinked, actor).with_data(&EventData::Contact {
                other_id: main_id,
                other_name: main_name.to_string(),
            });
        append_event(conn, company, &event).await?;
    }
    Ok(())
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
    (survivor, merged): (ContactId, ContactId),
    (survivor_version, merged_version): (i64, i64),
    contact: &StoredContact,
    event: &NewEvent,
    actor: i64,
) -> Result<(), SaveError> {
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    let rows: Vec<MergedRow> = with_conn!(conn, c => {
        sqlx::query_as(
            "SELECT id, main_contact_id, photo, version FROM contacts
              WHERE company_id = $1 AND id IN ($2, $3)",
        )
        .bind(company)
        .bind(survivor)
        .bind(merged)
        .fetch_all(&mut *c)
        .await?
    });
    let find = |id: ContactId| rows.iter().find(|row| row.0 == id).cloned();
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
    writer::update(
        conn,
        company,
        survivor,
        contact,
        survivor_version,
        actor,
        Utc::now(),
    )
    .await?;
    // The survivor's main: its own, else the other's (never itself).
    let main = survivor_main
        .filter(|m| *m != merged)
        .or(merged_main.filter(|m| *m != survivor));
    let adopt_photo = survivor_photo.is_none() && merged_photo.is_some();
    with_conn!(conn, c => {
        // The other's members follow the survivor (or the survivor's main:
        // links stay one level deep).
        let members_main = main.unwrap_or(survivor);
        sqlx::query(
            "UPDATE contacts SET main_contact_id = CASE WHEN id = $1 THEN NULL ELSE $2 END
              WHERE company_id = $3 AND main_contact_id = $4",
        )
        .bind(members_main)
        .bind(members_main)
        .bind(company)
        .bind(merged)
        .execute(&mut *c)
        .await?;
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
        .bind(company)
        .bind(merged)
        .bind(survivor)
        .execute(&mut *c)
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
            .bind(company)
            .bind(merged)
            .execute(&mut *c)
            .await?;
        }
    });
    append_event(conn, company, event).await?;
    writer::delete(conn, company, merged).await?;
    writer::commit(tx, company).await?;
    Ok(())
}

/// A contact's row as a merge reads it: id, main, photo, version.
type MergedRow = (ContactId, Option<ContactId>, Option<String>, i64);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every contact page reads its links. Without statistics, SQLite read a
    /// main's members by walking the company's name index
    /// (`contacts_company_sort`), every contact of the company: 17 ms a page
    /// at 100,000 contacts, most of an agent's edit during an import.
    #[tokio::test]
    async fn a_mains_members_are_read_through_their_index() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&format!("sqlite:{}/plan.db", dir.path().display()))
            .await
            .expect("opens");
        let Db::Sqlite(pool) = &db else {
            unreachable!("a sqlite: URL")
        };
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {MEMBERS}"))
                .bind(1)
                .bind(2)
                .fetch_all(pool)
                .await
                .expect("plan");
        let steps: Vec<&str> = plan.iter().map(|(.., detail)| detail.as_str()).collect();
        assert_eq!(
            steps,
            ["SEARCH contacts USING INDEX contacts_main (main_contact_id=? AND company_id=?)"]
        );
    }
}
