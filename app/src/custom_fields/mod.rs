//! Custom fields: the contact fields each company defines for itself
//! ("CPF", "Plano", "Data de adesão"), typed and validated.

/// Server functions: definitions and options.
pub mod api;
/// The components that enter and show custom values.
pub mod components;
/// Rules for defining a field (label, key, type, options): pure.
pub mod definition;
/// Definitions, values and filters as the API sends them.
pub mod model;
/// Route components.
pub mod pages;
/// All SQL of custom fields (server only).
#[cfg(feature = "ssr")]
pub mod repo;
/// Reading, checking, showing and converting values: pure.
pub mod values;
