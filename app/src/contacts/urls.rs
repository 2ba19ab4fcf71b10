//! The contact list's URL state: the search (`q`), the filters (`org`,
//! `group`) and what the side panel shows (`contact`, `new`, `edit`), so
//! reload, back/forward and shared links keep them. Pure.

use crate::ids::ContactId;
use crate::ids::FieldId;

/// What the side panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// No panel.
    Closed,
    /// A contact's details (`?contact=ID`).
    Contact(ContactId),
    /// The add form (`?new=1`).
    New,
    /// The edit form for a contact (`?edit=ID`).
    Edit(ContactId),
}

impl Panel {
    /// Reads the panel from the query's values.
    pub fn from_query(contact: Option<&str>, new: Option<&str>, edit: Option<&str>) -> Panel {
        let id = |v: Option<&str>| v.and_then(|v| v.trim().parse::<ContactId>().ok());
        if let Some(id) = id(edit) {
            Panel::Edit(id)
        } else if new.is_some_and(|v| !v.is_empty()) {
            Panel::New
        } else if let Some(id) = id(contact) {
            Panel::Contact(id)
        } else {
            Panel::Closed
        }
    }
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).collect()
}

/// What the list shows: the search text (`q`, kept as typed: the URL's
/// value is written back into the box, so trimming would eat the space a
/// user just typed) and the filters (`org`, `group`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub q: String,
    pub organization: Option<i64>,
    pub group: Option<i64>,
    /// A custom field filter (`field`, with `value`, `min`/`max` or `month`).
    pub field: Option<FieldId>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub month: Option<u32>,
}

impl ListQuery {
    /// Just a search.
    pub fn search(q: &str) -> ListQuery {
        ListQuery {
            q: q.to_string(),
            ..ListQuery::default()
        }
    }

    /// Reads the query's values (`get` gives a parameter's value);
    /// nonsense filters are ignored.
    pub fn from_query<'a>(get: impl Fn(&str) -> Option<&'a str>) -> ListQuery {
        let id = |name: &str| get(name).and_then(|v| v.trim().parse::<i64>().ok());
        let text = |name: &str| get(name).unwrap_or_default().to_string();
        let field = id("field");
        ListQuery {
            q: text("q"),
            organization: id("org"),
            group: id("group"),
            field: field.map(FieldId::new),
            value: field.map(|_| text("value")).unwrap_or_default(),
            min: field.map(|_| text("min")).unwrap_or_default(),
            max: field.map(|_| text("max")).unwrap_or_default(),
            month: field
                .and(get("month"))
                .and_then(|m| m.trim().parse::<u32>().ok()),
        }
    }

    /// Whether a filter is set.
    pub fn is_filtered(&self) -> bool {
        self.organization.is_some() || self.group.is_some() || self.field.is_some()
    }

    /// The same query without a custom field filter.
    pub fn without_field(&self) -> ListQuery {
        ListQuery {
            q: self.q.clone(),
            organization: self.organization,
            group: self.group,
            ..ListQuery::default()
        }
    }

    /// The CSV export of exactly this list (`/contacts/export.csv?…`).
    pub fn export_url(&self, flavor: crate::import_export::csv_format::CsvFlavor) -> String {
        let list = self.url(Panel::Closed);
        let query = list.strip_prefix("/contacts").unwrap_or_default();
        let format = match flavor {
            crate::import_export::csv_format::CsvFlavor::Excel => "excel",
            crate::import_export::csv_format::CsvFlavor::Rfc4180 => "rfc4180",
        };
        let separator = if query.is_empty() { "?" } else { "&" };
        format!("/contacts/export.csv{query}{separator}format={format}")
    }

    /// The list's URL for this query and a panel.
    pub fn url(&self, panel: Panel) -> String {
        let mut params = Vec::new();
        if !self.q.trim().is_empty() {
            params.push(format!("q={}", encode(&self.q)));
        }
        if let Some(id) = self.organization {
            params.push(format!("org={id}"));
        }
        if let Some(id) = self.group {
            params.push(format!("group={id}"));
        }
        if let Some(id) = self.field {
            params.push(format!("field={id}"));
            for (name, value) in [
                ("value", &self.value),
                ("min", &self.min),
                ("max", &self.max),
            ] {
                if !value.trim().is_empty() {
                    params.push(format!("{name}={}", encode(value)));
                }
            }
            if let Some(month) = self.month {
                params.push(format!("month={month}"));
            }
        }
        match panel {
            Panel::Closed => {}
            Panel::Contact(id) => params.push(format!("contact={id}")),
            Panel::New => params.push("new=1".to_string()),
            Panel::Edit(id) => params.push(format!("edit={id}")),
        }
        if params.is_empty() {
            "/contacts".to_string()
        } else {
            format!("/contacts?{}", params.join("&"))
        }
    }
}

/// The list's URL for a search (no filters) and a panel.
pub fn list_url(search: &str, panel: Panel) -> String {
    ListQuery::search(search).url(panel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_a_custom_field_filter() {
        let query = ListQuery {
            field: Some(FieldId::new(4)),
            value: "529.982.247-25".into(),
            month: Some(11),
            ..ListQuery::default()
        };
        let url = query.url(Panel::Closed);
        assert_eq!(url, "/contacts?field=4&value=529%2E982%2E247%2D25&month=11");
        let params: Vec<(String, String)> = url
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                let v = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
                (k.to_string(), v.to_string())
            })
            .collect();
        let back = ListQuery::from_query(|name| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        });
        assert_eq!(back, query);
        assert!(back.is_filtered());
        use crate::import_export::csv_format::CsvFlavor;
        assert_eq!(
            back.export_url(CsvFlavor::Rfc4180),
            "/contacts/export.csv?field=4&value=529%2E982%2E247%2D25&month=11&format=rfc4180"
        );
        assert_eq!(
            ListQuery::default().export_url(CsvFlavor::Excel),
            "/contacts/export.csv?format=excel"
        );
        assert_eq!(back.without_field().url(Panel::Closed), "/contacts");
    }

    #[test]
    fn the_url_carries_search_and_panel() {
        assert_eq!(list_url("", Panel::Closed), "/contacts");
        assert_eq!(
            list_url("joão", Panel::Contact(ContactId::new(7))),
            "/contacts?q=jo%C3%A3o&contact=7"
        );
        assert_eq!(list_url("", Panel::New), "/contacts?new=1");
        assert_eq!(
            list_url("a b", Panel::Edit(ContactId::new(3))),
            "/contacts?q=a%20b&edit=3"
        );
    }

    #[test]
    fn search_text_is_kept_as_typed_and_percent_encoded() {
        assert_eq!(list_url("  ", Panel::Closed), "/contacts");
        assert_eq!(list_url("joao ", Panel::Closed), "/contacts?q=joao%20");
        assert_eq!(
            list_url("(11) 9876", Panel::Closed),
            "/contacts?q=%2811%29%209876"
        );
        assert_eq!(list_url("a&b=c", Panel::Closed), "/contacts?q=a%26b%3Dc");
    }

    #[test]
    fn filters_travel_in_the_url_and_back() {
        let query = ListQuery {
            q: "silva".into(),
            organization: Some(4),
            group: Some(9),
            ..ListQuery::default()
        };
        let url = query.url(Panel::Contact(ContactId::new(2)));
        assert_eq!(url, "/contacts?q=silva&org=4&group=9&contact=2");
        assert_eq!(
            ListQuery::from_query(|name| match name {
                "q" => Some("silva"),
                "org" => Some("4"),
                "group" => Some("9"),
                _ => None,
            }),
            query
        );
        assert_eq!(
            ListQuery::from_query(|name| match name {
                "org" => Some("x"),
                "group" => Some(""),
                "value" => Some("ignored without a field"),
                _ => None,
            }),
            ListQuery::default()
        );
        assert!(query.is_filtered());
        assert!(!ListQuery::search("a").is_filtered());
    }

    #[test]
    fn the_panel_is_read_back_and_nonsense_is_ignored() {
        assert_eq!(
            Panel::from_query(Some("7"), None, None),
            Panel::Contact(ContactId::new(7))
        );
        assert_eq!(Panel::from_query(Some("7"), Some("1"), None), Panel::New);
        assert_eq!(
            Panel::from_query(None, None, Some("3")),
            Panel::Edit(ContactId::new(3))
        );
        assert_eq!(Panel::from_query(Some("x"), None, Some("")), Panel::Closed);
    }
}
