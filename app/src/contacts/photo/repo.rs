//! SQL of contact photos: the image bytes in `contact_photos`, its version
//! token on the contact row.
use chrono::Utc;

use crate::db::{BeginWrite, Db};
use crate::ids::ContactId;
use crate::tenant::CompanyId;
use crate::with_db;

/// Stores a contact's photo (replacing any) and sets its new version token;
/// `false` when the contact does not exist in the company.
pub async fn set_photo(
    db: &Db,
    company: CompanyId,
    id: ContactId,
    content_type: &str,
    bytes: &[u8],
    version: &str,
) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let stored = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE contacts SET photo = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
        )
        .bind(version)
        .bind(now)
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO contact_photos (company_id, contact_id, content_type, bytes, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (contact_id) DO UPDATE
                SET content_type = excluded.content_type, bytes = excluded.bytes,
                    updated_at = excluded.updated_at",
        )
        .bind(company)
        .bind(id)
        .bind(content_type)
        .bind(bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        true
    });
    Ok(stored)
}

/// Removes a contact's photo; `false` when the contact does not exist in the
/// company (removing a photo it does not have is fine).
pub async fn remove_photo(db: &Db, company: CompanyId, id: ContactId) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let removed = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE contacts SET photo = NULL, updated_at = $1 WHERE company_id = $2 AND id = $3",
        )
        .bind(now)
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM contact_photos WHERE company_id = $1 AND contact_id = $2")
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        updated > 0
    });
    Ok(removed)
}

/// A contact's photo: (MIME type, bytes).
pub async fn get_photo(
    db: &Db,
    company: CompanyId,
    id: ContactId,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let photo = with_db!(db, pool => {
        sqlx::query_as::<_, (String, Vec<u8>)>(
            "SELECT content_type, bytes FROM contact_photos WHERE company_id = $1 AND contact_id = $2",
        )
        .bind(company)
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    Ok(photo)
}
