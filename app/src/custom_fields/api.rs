//! The custom fields RPC API. Stable endpoints under `/api/custom_fields/`
//! (see `docs/api.md`). Reading definitions is for every user (the contact
//! form needs them); changing them is for admins.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::custom_fields::model::{FieldDefinition, FieldDraft};
use crate::error::AppError;
use crate::ids::FieldId;

/// The company's custom fields in form order, with their options.
///
/// `POST /api/custom_fields/list`.
#[server(prefix = "/api", endpoint = "custom_fields/list")]
pub async fn list_custom_fields() -> Result<Vec<FieldDefinition>, AppError> {
    crate::error::respond(server::list(false).await)
}

/// The company's custom fields with how many contacts use each. Admins only.
///
/// `POST /api/custom_fields/overview`.
#[server(prefix = "/api", endpoint = "custom_fields/overview")]
pub async fn custom_fields_overview() -> Result<Vec<FieldDefinition>, AppError> {
    crate::error::respond(server::list(true).await)
}

/// Creates a custom field at the end of the form. Admins only.
///
/// `POST /api/custom_fields/create` with a JSON body `{"draft": FieldDraft}`.
#[server(prefix = "/api", endpoint = "custom_fields/create", input = Json)]
pub async fn create_custom_field(draft: FieldDraft) -> Result<FieldDefinition, AppError> {
    crate::error::respond(server::create(draft).await)
}

/// Changes a field's label, help, required flag or type (its key and
/// options stay). A type change converts every value or is refused with a
/// message naming values that would not convert. Admins only.
///
/// `POST /api/custom_fields/update` with a JSON body `{"id": 1, "draft": FieldDraft}`.
#[server(prefix = "/api", endpoint = "custom_fields/update", input = Json)]
pub async fn update_custom_field(
    id: FieldId,
    draft: FieldDraft,
) -> Result<FieldDefinition, AppError> {
    crate::error::respond(server::update(id, draft).await)
}

/// Moves a field one place up (`up=true`) or down the form. Admins only.
///
/// `POST /api/custom_fields/move` with `id` and `up`.
#[server(prefix = "/api", endpoint = "custom_fields/move")]
pub async fn move_custom_field(id: FieldId, up: bool) -> Result<(), AppError> {
    crate::error::respond(server::move_field(id, up).await)
}

/// Deletes a field and every contact's value of it. Admins only.
///
/// `POST /api/custom_fields/delete` with `id`.
#[server(prefix = "/api", endpoint = "custom_fields/delete")]
pub async fn delete_custom_field(id: FieldId) -> Result<(), AppError> {
    crate::error::respond(server::delete(id).await)
}

/// Adds an option to a select field. Admins only.
///
/// `POST /api/custom_fields/add_option` with `field_id` and `label`.
#[server(prefix = "/api", endpoint = "custom_fields/add_option")]
pub async fn add_field_option(
    field_id: FieldId,
    label: String,
) -> Result<FieldDefinition, AppError> {
    crate::error::respond(server::add_option(field_id, label).await)
}

/// Renames an option; contacts that chose it keep it. Admins only.
///
/// `POST /api/custom_fields/rename_option` with `field_id`, `option_id` and `label`.
#[server(prefix = "/api", endpoint = "custom_fields/rename_option")]
pub async fn rename_field_option(
    field_id: FieldId,
    option_id: i64,
    label: String,
) -> Result<FieldDefinition, AppError> {
    crate::error::respond(server::rename_option(field_id, option_id, label).await)
}

/// Retires an option (`retired=true`: no longer offered, contacts keep it)
/// or brings it back. Admins only.
///
/// `POST /api/custom_fields/retire_option` with `field_id`, `option_id` and `retired`.
#[server(prefix = "/api", endpoint = "custom_fields/retire_option")]
pub async fn retire_field_option(
    field_id: FieldId,
    option_id: i64,
    retired: bool,
) -> Result<FieldDefinition, AppError> {
    crate::error::respond(server::retire_option(field_id, option_id, retired).await)
}

/// The contact list's custom field filter as a request gives it (form
/// fields `field`, `value`, `min`, `max`, `month`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldQuery {
    pub field: Option<FieldId>,
    pub value: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub month: Option<u32>,
}

/// Reads a list filter against the field's definition (the list and the
/// export share it); a field of another company is unknown.
#[cfg(feature = "ssr")]
pub async fn resolve_filter(
    db: &crate::db::Db,
    company: crate::tenant::CompanyId,
    query: FieldQuery,
) -> Result<Option<crate::custom_fields::model::CustomFilter>, AppError> {
    use crate::custom_fields::model::{CustomFilter, FieldFilter, FieldType};
    let Some(field_id) = query.field else {
        return Ok(None);
    };
    let definition = crate::custom_fields::repo::list_fields(db, company, false)
        .await?
        .into_iter()
        .find(|f| f.id == field_id)
        .ok_or_else(|| AppError::invalid("field", crate::problem::Problem::CustomFieldNotFound))?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut filter = crate::custom_fields::values::build_filter(
        &definition,
        &text(&query.value),
        &text(&query.min),
        &text(&query.max),
        query.month,
    )
    .map_err(|e| AppError::Validation(vec![e]))?;
    if definition.field_type == FieldType::Phone {
        // Phone values are compared in E.164.
        if let FieldFilter::Equals(typed) = &filter {
            let e164 = crate::contacts::phone::normalize_phone(typed).map_err(|_| {
                AppError::invalid(
                    "value",
                    crate::problem::Problem::InvalidPhone {
                        text: typed.clone(),
                    },
                )
            })?;
            filter = FieldFilter::Equals(e164);
        }
    }
    Ok(Some(CustomFilter { field_id, filter }))
}

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::session::{require_admin, require_user};
    use crate::custom_fields::model::{FieldDefinition, FieldDraft};
    use crate::custom_fields::repo::{self, ChangeError};
    use crate::error::AppError;
    use crate::ids::FieldId;
    use crate::state::app_state;
    use crate::tenant::CompanyId;

    fn refused(error: ChangeError) -> AppError {
        match error {
            ChangeError::NotFound => AppError::NotFound,
            ChangeError::Invalid(errors) => AppError::Validation(errors),
            ChangeError::Db(error) => error.into(),
        }
    }

    pub async fn list(with_counts: bool) -> Result<Vec<FieldDefinition>, AppError> {
        let company = if with_counts {
            require_admin()?.company_id
        } else {
            require_user()?.company_id
        };
        let db = app_state()?.db;
        Ok(repo::list_fields(&db, company, with_counts).await?)
    }

    /// One field as the admin page shows it (with its count).
    async fn field(company: CompanyId, id: FieldId) -> Result<FieldDefinition, AppError> {
        let db = app_state()?.db;
        repo::list_fields(&db, company, true)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(AppError::NotFound)
    }

    pub async fn create(draft: FieldDraft) -> Result<FieldDefinition, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        let id = repo::create_field(&db, company, &draft)
            .await
            .map_err(refused)?;
        field(company, id).await
    }

    pub async fn update(id: FieldId, draft: FieldDraft) -> Result<FieldDefinition, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::update_field(&db, company, id, &draft)
            .await
            .map_err(refused)?;
        field(company, id).await
    }

    pub async fn move_field(id: FieldId, up: bool) -> Result<(), AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::move_field(&db, company, id, up)
            .await
            .map_err(refused)
    }

    pub async fn delete(id: FieldId) -> Result<(), AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::delete_field(&db, company, id)
            .await
            .map_err(refused)?;
        Ok(())
    }

    pub async fn add_option(field_id: FieldId, label: String) -> Result<FieldDefinition, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::add_option(&db, company, field_id, &label)
            .await
            .map_err(refused)?;
        field(company, field_id).await
    }

    pub async fn rename_option(
        field_id: FieldId,
        option_id: i64,
        label: String,
    ) -> Result<FieldDefinition, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::rename_option(&db, company, field_id, option_id, &label)
            .await
            .map_err(refused)?;
        field(company, field_id).await
    }

    pub async fn retire_option(
        field_id: FieldId,
        option_id: i64,
        retired: bool,
    ) -> Result<FieldDefinition, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::set_option_retired(&db, company, field_id, option_id, retired)
            .await
            .map_err(refused)?;
        field(company, field_id).await
    }
}
