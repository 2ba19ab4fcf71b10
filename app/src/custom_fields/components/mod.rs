//! Components that enter and show custom values.

mod custom_field_filter;
mod custom_field_input;
mod custom_value_rows;

pub use custom_field_filter::CustomFieldFilter;
pub use custom_field_input::CustomFieldInput;
pub use custom_value_rows::CustomValueRows;
