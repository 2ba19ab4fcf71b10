//! Route components of custom fields.

mod custom_fields_page;

pub use custom_fields_page::CustomFieldsPage;
