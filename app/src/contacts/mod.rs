//! Contacts: the business address book.

/// Server functions (the RPC API) of the contacts module.
pub mod api;
/// Components of the contacts screens.
pub mod components;
/// Server functions for one contact: read, create, update, delete.
pub mod details_api;
/// Organizations and groups: kinds and name rules (pure).
pub mod directory;
/// Server functions that manage organizations and groups (admins).
pub mod directory_api;
/// SQL for organizations and groups (server only).
#[cfg(feature = "ssr")]
pub mod directory_repo;
/// CPF/CNPJ with check digits: pure, shared with the browser.
pub mod document;
/// The add/edit form and its validation: pure, shared with the browser.
pub mod form;
/// Main contact: the linking rules (pure).
pub mod links;
/// Main contact: link, unlink and merge server functions.
pub mod links_api;
/// Main contact: SQL of links and merges (server only).
#[cfg(feature = "ssr")]
pub mod links_repo;
/// Merging two contacts: conflicts and the merged form (pure).
pub mod merge;
/// Data transfer types shared by browser and server.
pub mod model;
/// Route components.
pub mod pages;
/// Phone numbers: normalization to E.164 and display (server only).
#[cfg(feature = "ssr")]
pub mod phone;
/// Contact photos: accepted types and sizes, URLs (pure).
pub mod photo;
/// Contact photos: upload and removal server functions, the image route.
pub mod photo_api;
/// All SQL of the contacts module (server only).
#[cfg(feature = "ssr")]
pub mod repo;
/// Search terms and list paging: pure, unit-tested.
pub mod search;
/// A contact's place in the search index, in name order (pure).
pub mod search_rank;
/// Giving contacts their search ranks (SQLite; server only).
#[cfg(feature = "ssr")]
pub mod search_rank_repo;
/// From a submitted form to a stored contact: validation and
/// normalization shared by the form and the import (server only).
#[cfg(feature = "ssr")]
pub mod store;
/// The list's URL state (search and side panel): pure.
pub mod urls;
/// The one contact writer: every create and change of a contact's details
/// (server only).
#[cfg(feature = "ssr")]
pub mod writer;
