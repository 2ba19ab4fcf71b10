//! The contact RPC API beyond the list: read, create, update, delete, the
//! duplicate warning, and the organizations/groups pickers. Stable endpoints
//! under `/api/contacts/` (see `docs/api.md`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::contacts::form::ContactForm;
use crate::contacts::model::{ContactDetails, Directory, Duplicate};
use crate::error::AppError;
use crate::ids::ContactId;

/// One contact of the caller's company.
///
/// `POST /api/contacts/get` with `id`.
#[server(prefix = "/api", endpoint = "contacts/get")]
pub async fn get_contact(id: ContactId) -> Result<ContactDetails, AppError> {
    crate::error::respond(server::get_contact(id).await)
}

/// Creates a contact from the form; returns it as stored.
///
/// `POST /api/contacts/create` with a JSON body `{"form": ContactForm}`.
#[server(prefix = "/api", endpoint = "contacts/create", input = Json)]
pub async fn create_contact(form: ContactForm) -> Result<ContactDetails, AppError> {
    crate::error::respond(server::save(None, form, None).await)
}

/// Replaces a contact's details with the form's. With `version` (the
/// contact's `version` when the form was filled), a contact changed since
/// is refused with 409 `Stale` (who changed it, and when) and nothing is
/// written; without it, the save replaces whatever is there.
///
/// `POST /api/contacts/update` with a JSON body
/// `{"id": 1, "form": ContactForm, "version": 3}`.
#[server(prefix = "/api", endpoint = "contacts/update", input = Json)]
pub async fn update_contact(
    id: ContactId,
    form: ContactForm,
    version: Option<i64>,
) -> Result<ContactDetails, AppError> {
    crate::error::respond(server::save(Some(id), form, version).await)
}

/// Deletes a contact and everything that depends on it.
///
/// `POST /api/contacts/delete` with `id`.
#[server(prefix = "/api", endpoint = "contacts/delete")]
pub async fn delete_contact(id: ContactId) -> Result<(), AppError> {
    crate::error::respond(server::delete_contact(id).await)
}

/// Existing contacts sharing a phone or e-mail with the form (the form warns
/// and links to them; saving stays allowed). `except` is the contact being
/// edited.
///
/// `POST /api/contacts/duplicates` with a JSON body `{"form": ContactForm, "except": null}`.
#[server(prefix = "/api", endpoint = "contacts/duplicates", input = Json)]
pub async fn find_duplicates(
    form: ContactForm,
    except: Option<ContactId>,
) -> Result<Vec<Duplicate>, AppError> {
    crate::error::respond(server::find_duplicates(form, except).await)
}

/// The company's organizations and groups.
///
/// `POST /api/contacts/directory`.
#[server(prefix = "/api", endpoint = "contacts/directory")]
pub async fn load_directory() -> Result<Directory, AppError> {
    crate::error::respond(server::directory().await)
}

#[cfg(feature = "ssr")]
pub mod server {
    use crate::ids::{ContactId, FieldId};
    use crate::problem::Problem;
    use chrono::{SecondsFormat, Utc};

    use crate::auth::session::require_user;
    use crate::contacts::document::format_document;
    use crate::contacts::form::{ContactForm, Gender};
    use crate::contacts::model::{
        ContactDetails, Directory, Duplicate, ImportOrigin, NamedRef, PhoneView,
    };
    use crate::contacts::phone::{format_phone, normalize_phone};
    use crate::contacts::repo::{self, ContactRecord};
    use crate::contacts::store::{prepare_contact, Strictness};
    use crate::contacts::writer::{SaveError, StoredContact};
    use crate::conversations::{available_channels, ChannelFacts};
    use crate::custom_fields::model::FieldDefinition;
    use crate::custom_fields::repo as custom_repo;
    use crate::db::Db;
    use crate::error::AppError;
    use crate::state::app_state;
    use crate::tenant::CompanyId;
    use crate::timeline::changes::{diff, snapshot_of_details, snapshot_of_stored};
    use crate::timeline::model::EventKind;
    use crate::timeline::repo::{EventData, NewEvent};

    pub fn details(record: ContactRecord) -> ContactDetails {
        let row = record.row;
        let channels = available_channels(ChannelFacts {
            has_phone: !record.phones.is_empty(),
            has_email: !record.emails.is_empty(),
            has_telegram: row.telegram.is_some(),
            has_instagram: row.instagram.is_some(),
            wrote_on_facebook: row.facebook_opened,
            wrote_on_widget: row.widget_opened,
        });
        ContactDetails {
            id: row.id,
            name: row.name,
            phones: record
                .phones
                .into_iter()
                .map(|e164| PhoneView {
                    display: format_phone(&e164),
                    e164,
                })
                .collect(),
            emails: record.emails,
            address: row.address,
            birth_date: row.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            document: row.document.as_deref().map(format_document),
            gender: row.gender.as_deref().and_then(Gender::parse),
            organization: row
                .organization_id
                .zip(row.organization_name)
                .map(|(id, name)| NamedRef { id, name }),
            groups: record
                .groups
                .into_iter()
                .map(|(id, name)| NamedRef { id, name })
                .collect(),
            facebook: row.facebook,
            instagram: row.instagram,
            telegram: row.telegram,
            website: row.website,
            notes: row.notes,
            custom: record.custom,
            photo_url: row
                .photo
                .as_deref()
                .map(|version| crate::contacts::photo::photo_url(row.id, version)),
            channels,
            created_at: row.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            updated_at: row.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            version: row.version,
            updated_by: row.updated_by_name,
            imported_from: None,
            main_contact: None,
            linked: Vec::new(),
        }
    }

    /// The stored contact with where it came from.
    pub async fn load(
        db: &Db,
        company: CompanyId,
        id: ContactId,
    ) -> Result<ContactDetails, AppError> {
        let mut contact = repo::get_contact(db, company, id)
            .await?
            .map(details)
            .ok_or(AppError::NotFound)?;
        contact.imported_from = crate::import_export::repo::import_origin(db, company, id)
            .await?
            .map(|(file_name, by, _)| ImportOrigin { file_name, by });
        let (main, linked) = crate::contacts::links::repo::links_of(db, company, id).await?;
        contact.main_contact = main.map(|(id, name)| NamedRef { id, name });
        contact.linked = linked
            .into_iter()
            .map(|(id, name)| NamedRef { id, name })
            .collect();
        Ok(contact)
    }

    pub async fn get_contact(id: ContactId) -> Result<ContactDetails, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        load(&db, company, id).await
    }

    /// Validates the form (the shared rules, custom fields included), then
    /// normalizes its phones with the full phone metadata. `holders` are the
    /// contacts whose values it replaces (their retired select options may
    /// stay).
    pub async fn stored(
        db: &Db,
        company: CompanyId,
        holders: &[ContactId],
        form: &ContactForm,
    ) -> Result<(StoredContact, Vec<FieldDefinition>), AppError> {
        let definitions = custom_repo::list_fields(db, company, false).await?;
        let mut held: std::collections::HashMap<FieldId, Vec<i64>> = Default::default();
        for id in holders {
            for (field, options) in custom_repo::held_options(db, company, *id).await? {
                held.entry(field).or_default().extend(options);
            }
        }
        prepare_contact(
            form,
            &definitions,
            &|field| held.get(&field).cloned().unwrap_or_default(),
            Utc::now().date_naive(),
            Strictness::Form,
        )
        .map(|stored| (stored, definitions.clone()))
        .map_err(AppError::Validation)
    }

    /// The "edited" timeline event for replacing `old` with `new` (`None`
    /// when nothing shown changed).
    async fn edit_event(
        db: &Db,
        company: CompanyId,
        actor: i64,
        old: &ContactDetails,
        new: &StoredContact,
        definitions: &[FieldDefinition],
    ) -> Result<Option<NewEvent>, AppError> {
        let (organizations, groups) = repo::directory(db, company).await?;
        let changes = diff(
            &snapshot_of_details(old),
            &snapshot_of_stored(
                new,
                &organizations.into_iter().collect(),
                &groups.into_iter().collect(),
                definitions,
            ),
        );
        Ok((!changes.is_empty()).then(|| {
            NewEvent::new(old.id, EventKind::Edited, Some(actor))
                .with_data(&EventData::Edited { changes })
        }))
    }

    /// The 409 for a contact that changed since it was read: who made its
    /// current version, and when.
    pub fn stale(current: &ContactDetails) -> AppError {
        AppError::Stale {
            by: current.updated_by.clone(),
            at: current.updated_at.clone(),
        }
    }

    /// How often a save without a version works out its change again when
    /// another write lands between its read and its write.
    const UPDATE_ATTEMPTS: usize = 3;

    /// Replaces contact `id` with `contact` as `actor`. The timeline's "old"
    /// values are those of the very version replaced: the write only
    /// happens if the contact is still at the version the change was worked
    /// out from (compare-and-set inside the write transaction). `expected`
    /// is the version the user's form was read at.
    async fn update(
        db: &Db,
        company: CompanyId,
        actor: i64,
        id: ContactId,
        contact: &StoredContact,
        definitions: &[FieldDefinition],
        expected: Option<i64>,
    ) -> Result<(), AppError> {
        for _ in 0..UPDATE_ATTEMPTS {
            let old = load(db, company, id).await?;
            if expected.is_some_and(|version| version != old.version) {
                return Err(stale(&old));
            }
            let event = edit_event(db, company, actor, &old, contact, definitions).await?;
            match repo::update_contact(db, company, id, contact, event.as_ref(), old.version, actor)
                .await
            {
                Ok(()) => return Ok(()),
                Err(SaveError::Stale) if expected.is_none() => continue,
                Err(SaveError::Stale) => return Err(stale(&load(db, company, id).await?)),
                Err(error) => return Err(save_error(error)),
            }
        }
        Err(stale(&load(db, company, id).await?))
    }

    pub fn save_error(error: SaveError) -> AppError {
        match error {
            SaveError::NotFound => AppError::NotFound,
            SaveError::Stale => AppError::Stale {
                by: None,
                at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            },
            SaveError::UnknownOrganization(_) => {
                AppError::invalid("organization_id", Problem::OrganizationNotFound)
            }
            SaveError::UnknownGroup(_) => AppError::invalid("group_ids", Problem::GroupNotFound),
            SaveError::Sqlx(error) => error.into(),
        }
    }

    pub async fn save(
        id: Option<ContactId>,
        form: ContactForm,
        version: Option<i64>,
    ) -> Result<ContactDetails, AppError> {
        let user = require_user()?;
        let company = user.company_id;
        let db = app_state()?.db;
        match id {
            None => {
                let (contact, _) = stored(&db, company, &[], &form).await?;
                let id = repo::create_contact(&db, company, &contact, Some(user.user_id))
                    .await
                    .map_err(save_error)?;
                load(&db, company, id).await
            }
            Some(id) => edit_contact(&db, company, user.user_id, id, &form, version).await,
        }
    }

    /// Replaces contact `id` with `form` as user `actor`: the form's own
    /// checks, the edit on the timeline, the version's compare-and-set
    /// (`version`: the one the form was read at). What "Salvar" does, for
    /// callers outside a request too (the demo data).
    pub async fn edit_contact(
        db: &Db,
        company: CompanyId,
        actor: i64,
        id: ContactId,
        form: &ContactForm,
        version: Option<i64>,
    ) -> Result<ContactDetails, AppError> {
        let (contact, definitions) = stored(db, company, &[id], form).await?;
        update(db, company, actor, id, &contact, &definitions, version).await?;
        load(db, company, id).await
    }

    pub async fn delete_contact(id: ContactId) -> Result<(), AppError> {
        let user = require_user()?;
        let company = user.company_id;
        let db = app_state()?.db;
        match repo::delete_contact(&db, company, id, Some(user.user_id)).await? {
            Some(_photo) => Ok(()),
            None => Err(AppError::NotFound),
        }
    }

    pub async fn find_duplicates(
        form: ContactForm,
        except: Option<ContactId>,
    ) -> Result<Vec<Duplicate>, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        // Only what can be read is compared: a half-typed number is skipped.
        let phones: Vec<String> = form
            .phones
            .iter()
            .filter_map(|p| normalize_phone(p).ok())
            .collect();
        let emails: Vec<String> = form
            .emails
            .iter()
            .filter_map(|e| crate::auth::validate::normalize_email(e).ok())
            .collect();
        let found = repo::find_duplicates(&db, company, &phones, &emails, except).await?;
        Ok(found
            .into_iter()
            .map(|(id, name, matched)| Duplicate {
                id,
                name,
                matched: if matched.starts_with('+') {
                    format_phone(&matched)
                } else {
                    matched
                },
            })
            .collect())
    }

    pub async fn directory() -> Result<Directory, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        let (organizations, groups) = repo::directory(&db, company).await?;
        let refs = |list: Vec<(i64, String)>| {
            list.into_iter()
                .map(|(id, name)| NamedRef { id, name })
                .collect()
        };
        Ok(Directory {
            organizations: refs(organizations),
            groups: refs(groups),
        })
    }
}
