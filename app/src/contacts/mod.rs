//! Contacts: the business address book.

/// Server functions (the RPC API) of the contacts module.
pub mod api;
/// Components of the contacts screens.
pub mod components;
/// Server functions for one contact: read, create, update, delete.
pub mod details_api;
/// Organizations and groups: name rules (pure), their server functions
/// and SQL.
pub mod directory;
/// CPF/CNPJ with check digits: pure, shared with the browser.
pub mod document;
/// The add/edit form and its validation: pure, shared with the browser.
pub mod form;
/// Main contact: the linking rules (pure), merges, their server
/// functions and SQL.
pub mod links;
/// Data transfer types shared by browser and server.
pub mod model;
/// Route components.
pub mod pages;
/// Phone numbers: normalization to E.164 and display (server only).
#[cfg(feature = "ssr")]
pub mod phone;
/// Contact photos: accepted types and sizes, URLs (pure); upload and
/// removal.
pub mod photo;
/// All SQL of the contacts module (server only).
#[cfg(feature = "ssr")]
pub mod repo;
/// Search terms and list paging (pure, unit-tested); search ranks.
pub mod search;
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
