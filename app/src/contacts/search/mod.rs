//! Turning what an agent types into search terms, and list paging cursors.
//! Pure functions: no SQL, no Leptos.

/// The list's SQL and search planner (server only).
#[cfg(feature = "ssr")]
pub mod list_repo;
/// A contact's place in the search index, in name order (pure).
pub mod rank;
/// Giving contacts their search ranks (SQLite; server only).
#[cfg(feature = "ssr")]
pub mod rank_repo;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Default and maximum page sizes of the contact list.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 200;

/// Folds text for accent- and case-insensitive comparison: "  JOÃO  da Conceição"
/// becomes "joao da conceicao" (NFD, combining marks dropped, lower case,
/// whitespace collapsed).
pub fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The list's filters beside the search text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListFilter {
    /// Only contacts of this organization.
    pub organization: Option<i64>,
    /// Only members of this group.
    pub group: Option<i64>,
    /// Only contacts whose custom field value passes this filter.
    pub custom: Option<crate::custom_fields::model::CustomFilter>,
}

/// What a search query can match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchTerms {
    /// Folded text, matched against names and e-mails.
    pub text: Option<String>,
    /// The digits of a phone-like query, matched inside normalized numbers.
    pub digits: Option<String>,
    /// A contact ID, when the query is a plain number.
    pub id: Option<i64>,
}

impl SearchTerms {
    /// True when the query is empty: list everything.
    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.digits.is_none() && self.id.is_none()
    }
}

/// Minimum number of digits before a query is also tried as a phone number.
const MIN_PHONE_DIGITS: usize = 3;

/// Longest accepted search text, in characters: the list, the export and
/// the conversations' search refuse longer ones before planning anything.
pub const MAX_QUERY_CHARS: usize = 200;

/// Parses a search text that came in a request, refusing one over
/// [`MAX_QUERY_CHARS`] with a message on `field`.
pub fn parse_requested_search(
    field: &str,
    query: &str,
) -> Result<SearchTerms, crate::error::AppError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(crate::error::AppError::invalid(
            field,
            crate::problem::Problem::QueryTooLong {
                max: MAX_QUERY_CHARS,
            },
        ));
    }
    Ok(parse_search(query))
}

/// Parses the search box's text.
///
/// "(11) 98765-4321", "+55 11 98765-4321" and "987654321" all yield digits
/// that occur inside the stored E.164 number; "joao" matches "João"; "123"
/// matches contact ID 123 (and names or numbers containing it).
pub fn parse_search(query: &str) -> SearchTerms {
    let trimmed = query.trim();
    if trimmed.is_empty() {
        return SearchTerms::default();
    }
    let text = Some(fold(trimmed)).filter(|t| !t.is_empty());
    let phone_like = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let digits = (phone_like && digits.len() >= MIN_PHONE_DIGITS).then_some(digits);
    let id = trimmed
        .strip_prefix('#')
        .unwrap_or(trimmed)
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0);
    SearchTerms { text, digits, id }
}

/// Shortest text the trigram index can look up.
const MIN_INDEXED_CHARS: usize = 3;

impl SearchTerms {
    /// The full-text (FTS5 trigram) expression whose matches are a superset
    /// of this search's matches, or `None` when no such expression exists
    /// (a text without any word of 3+ characters) and the list must be
    /// walked instead.
    ///
    /// Each text word of 3+ characters must occur (`AND`), or the whole
    /// text as one phrase when it also has shorter words
    /// ([`SearchTerms::index_words`]); they are looked for in the index's
    /// `text` column (folded name and e-mails). Phone digits are an
    /// alternative (`OR`) in its `phones` column. A contact ID is looked up
    /// by key, not here.
    pub fn index_query(&self) -> Option<String> {
        self.index_query_narrowed(&Narrowed::new())
    }

    /// The words the index is asked for: each text word of 3+ characters
    /// (`text` column), and the phone digits (`phones` column). A text
    /// that mixes such words with shorter ones ("vitoria sa", "maria de
    /// souza") is asked for whole, as one phrase: a trigram phrase matches
    /// exactly where the text occurs, which is what the search tests, while
    /// its long words alone ("vitoria") can match thousands of contacts the
    /// text does not.
    pub fn index_words(&self) -> Vec<(IndexColumn, String)> {
        let text = self.text.iter().flat_map(|text| {
            let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            let long = |w: &str| w.chars().count() >= MIN_INDEXED_CHARS;
            let indexable = words.iter().filter(|w| long(w)).count();
            if indexable > 0 && indexable < words.len() {
                vec![(IndexColumn::Text, text.clone())]
            } else {
                words
                    .into_iter()
                    .filter(|w| long(w))
                    .map(|w| (IndexColumn::Text, w.to_string()))
                    .collect()
            }
        });
        let digits = self
            .digits
            .iter()
            .filter(|d| d.len() >= MIN_INDEXED_CHARS)
            .map(|d| (IndexColumn::Phones, d.clone()));
        text.chain(digits).collect()
    }

    /// [`SearchTerms::index_query`] with some words looked up by a few of
    /// their trigrams instead of their whole phrase (`narrowed`, from
    /// [`rarest_trigrams`]): still a superset of the matches, since a word
    /// that occurs contains each of its trigrams.
    pub fn index_query_narrowed(&self, narrowed: &Narrowed) -> Option<String> {
        let lookup =
            |column: IndexColumn, word: &str| match narrowed.get(&(column, word.to_string())) {
                Some(trigrams) => {
                    let each: Vec<String> = trigrams.iter().map(|t| fts_phrase(t)).collect();
                    format!("({})", each.join(" AND "))
                }
                None => fts_phrase(word),
            };
        let words = self.index_words();
        let text: Vec<String> = words
            .iter()
            .filter(|(column, _)| *column == IndexColumn::Text)
            .map(|(column, word)| lookup(*column, word))
            .collect();
        if self.text.is_some() && text.is_empty() {
            // The text alternative cannot use the index.
            return None;
        }
        let digits = words
            .iter()
            .find(|(column, _)| *column == IndexColumn::Phones)
            .map(|(column, word)| lookup(*column, word));
        // Column filters: the index's `text` column holds the folded name
        // and e-mails, `phones` the phone digits.
        let text = (!text.is_empty()).then(|| format!("{{text}} : ({})", text.join(" AND ")));
        let digits = digits.map(|d| format!("{{phones}} : {d}"));
        match (text, digits) {
            (Some(text), Some(digits)) => Some(format!("({text}) OR ({digits})")),
            (text, digits) => text.or(digits),
        }
    }
}

/// A column of the trigram index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexColumn {
    /// The folded name and e-mails.
    Text,
    /// The phone digits (and CPF/CNPJ digits).
    Phones,
}

impl IndexColumn {
    /// An FTS5 expression matching `text` in this column only.
    pub fn phrase(self, text: &str) -> String {
        let column = match self {
            IndexColumn::Text => "text",
            IndexColumn::Phones => "phones",
        };
        format!("{{{column}}} : {}", fts_phrase(text))
    }
}

/// Words looked up by a few trigrams: (column, word) → the trigrams.
pub type Narrowed = std::collections::HashMap<(IndexColumn, String), Vec<String>>;

/// A narrowed word is looked up by this many of its trigrams.
pub const NARROW_TO: usize = 3;

/// At most this many trigrams of one word are counted (evenly spaced over
/// a longer word).
pub const COUNTED_PER_WORD: usize = 24;

/// Shortest word, in trigrams (8 characters), worth counting: a shorter
/// phrase reads few entry lists anyway.
pub const MIN_COUNTED_TRIGRAMS: usize = 6;

/// The distinct trigrams (3-character windows, as FTS5's trigram tokenizer
/// cuts them) worth counting to narrow `word` in `column`: up to
/// [`COUNTED_PER_WORD`], evenly spaced, first and last included. Only for
/// e-mail addresses (a letter and an `@`) of [`MIN_COUNTED_TRIGRAMS`]
/// trigrams or more: their phrase holds the trigrams of e-mail domains
/// (`@gm`, `com`, `.br`), which most contacts have, while the address
/// itself is rare. Any other text is read as its phrase: in name order a
/// common text stops after a page, and counting would only cost; phone
/// digits are never counted (see [`phone_trigrams`]).
pub fn countable_trigrams(column: IndexColumn, word: &str) -> Vec<String> {
    let letter = word.chars().any(char::is_alphabetic);
    if column != IndexColumn::Text || !letter || !word.contains('@') {
        return Vec::new();
    }
    let chars: Vec<char> = word.chars().collect();
    let all: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    if all.len() < MIN_COUNTED_TRIGRAMS {
        return Vec::new();
    }
    let picked: Vec<&String> = if all.len() <= COUNTED_PER_WORD {
        all.iter().collect()
    } else {
        let last = all.len() - 1;
        (0..COUNTED_PER_WORD)
            .map(|i| &all[i * last / (COUNTED_PER_WORD - 1)])
            .collect()
    };
    let mut distinct: Vec<String> = Vec::with_capacity(picked.len());
    for trigram in picked {
        if !distinct.contains(trigram) {
            distinct.push(trigram.clone());
        }
    }
    distinct
}

/// Most trigrams holding a digit a word is looked up by.
pub const DIGIT_TRIGRAMS_MAX: usize = 6;

/// A text word's trigrams that hold a digit (in the word's order, distinct,
/// at most [`DIGIT_TRIGRAMS_MAX`]), when it has [`NARROW_TO`] or more: the
/// word is looked up by them, without counting. Digits are far rarer than
/// letters in names and e-mails, so together they select
/// (`otavio.falcao40@bol.com.br` → `ao4`, `o40`, `40@`, `0@b`: 19 candidates
/// at 1,000,000 contacts, where each of its trigrams is in 2,000+).
pub fn digit_trigrams(word: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = word.chars().collect();
    let mut found: Vec<String> = Vec::new();
    for window in chars.windows(3) {
        let trigram: String = window.iter().collect();
        if window.iter().any(char::is_ascii_digit) && !found.contains(&trigram) {
            found.push(trigram);
        }
    }
    found.truncate(DIGIT_TRIGRAMS_MAX);
    (found.len() >= NARROW_TO).then_some(found)
}

/// Fewest digits of a phone search looked up by a few of their trigrams.
pub const PHONE_NARROWED_FROM: usize = 9;

/// The trigrams a phone search's digits are looked up by when it has
/// [`PHONE_NARROWED_FROM`] or more: three that do not overlap, ending at
/// its last digit (`5519996862320` → `996`, `862`, `320`). A number's end is
/// what tells it apart (the country and area codes are in most contacts'
/// phones), and every trigram of a phrase is read: at 1,000,000 contacts
/// each 3-digit trigram is in ~15,000 entries, so 11 of them cost 5-10 ms,
/// while three select a handful of candidates for the exact test.
pub fn phone_trigrams(digits: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = digits.chars().collect();
    if chars.len() < PHONE_NARROWED_FROM {
        return None;
    }
    let end = chars.len();
    Some(
        [end - 9, end - 6, end - 3]
            .iter()
            .map(|&at| chars[at..at + 3].iter().collect())
            .collect(),
    )
}

/// The trigrams to look a word up by, given how many index entries hold
/// each (`counted`, each count stopped at `cap`): its [`NARROW_TO`] rarest,
/// when at least one is under `cap` (that trigram bounds the candidates by
/// its own count); else `None`: the whole phrase is the better test.
pub fn rarest_trigrams(counted: &[(String, u32)], cap: u32) -> Option<Vec<String>> {
    let mut by_count: Vec<&(String, u32)> = counted.iter().collect();
    // Stable: equal counts keep the word's order.
    by_count.sort_by_key(|(_, count)| *count);
    let rarest = by_count.first()?;
    if rarest.1 < cap {
        return Some(
            by_count
                .iter()
                .take(NARROW_TO)
                .map(|(trigram, _)| trigram.clone())
                .collect(),
        );
    }
    None
}

/// An FTS5 string literal: the text in double quotes, inner quotes doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A position in the list: the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort_key: String,
    pub id: i64,
}

impl Cursor {
    /// Encodes the cursor for the API (`{id}:{sort_key}`).
    pub fn encode(&self) -> String {
        format!("{}:{}", self.id, self.sort_key)
    }

    /// Decodes a cursor from the API; `None` if it is malformed.
    pub fn decode(token: &str) -> Option<Cursor> {
        let (id, sort_key) = token.split_once(':')?;
        Some(Cursor {
            id: id.parse().ok()?,
            sort_key: sort_key.to_string(),
        })
    }
}

/// Clamps a requested page size to `1..=MAX_PAGE_SIZE`.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE)
}

/// Escapes `%`, `_` and `\` for a SQL `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What the search triggers store in a contact's `search_text` and
/// `search_phones` (migrations 0005, 0006, 0011 of each backend), computed
/// before the contact is written so a bulk insert writes each row once:
/// the folded name then each e-mail, one per line; the digits of each
/// E.164 phone, then the document, then the CPF/CNPJ custom values (in
/// field order), one per line. The integration tests check that rows
/// written this way equal what the triggers compute.
pub fn search_columns(
    sort_key: &str,
    emails: &[String],
    phones: &[String],
    document: Option<&str>,
    documents: &[&str],
) -> (String, String) {
    let mut text = sort_key.to_string();
    for email in emails {
        text.push('\n');
        text.push_str(email);
    }
    // SQL's substr(e164, 2): everything after the first character ("+").
    let mut lines: Vec<&str> = phones
        .iter()
        .map(|phone| {
            phone
                .char_indices()
                .nth(1)
                .map_or("", |(at, _)| &phone[at..])
        })
        .collect();
    let mut phones_text = lines.join("\n");
    lines.clear();
    lines.extend(document);
    lines.extend(documents);
    for line in lines {
        phones_text.push('\n');
        phones_text.push_str(line);
    }
    (text, phones_text)
}

/// Property tests: whatever is typed in "Buscar contato".
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_search_text_is_parsed_or_refused_as_too_long(query in "\\PC{0,260}") {
            match parse_requested_search("q", &query) {
                Ok(terms) => {
                    prop_assert!(query.chars().count() <= MAX_QUERY_CHARS);
                    if let Some(digits) = &terms.digits {
                        prop_assert!(digits.len() >= MIN_PHONE_DIGITS);
                        prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                    }
                    prop_assert!(terms.id.is_none_or(|id| id > 0));
                    prop_assert!(terms.text.as_deref().is_none_or(|t| !t.is_empty()));
                }
                Err(error) => {
                    prop_assert!(query.chars().count() > MAX_QUERY_CHARS);
                    let crate::error::AppError::Validation(fields) = error else {
                        panic!("not a field refusal: {error:?}");
                    };
                    prop_assert_eq!(fields[0].field.as_str(), "q");
                }
            }
        }

        #[test]
        fn a_phone_typed_in_any_format_gives_its_digits(
            digits in "[0-9]{3,13}",
            seps in prop::collection::vec(prop::sample::select(vec!["", " ", "-", ".", "(", ")"]), 13),
        ) {
            let typed: String = digits
                .chars()
                .zip(seps.iter())
                .map(|(d, s)| format!("{s}{d}"))
                .collect();
            prop_assert_eq!(parse_search(&typed).digits, Some(digits));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_offer_evenly_spaced_distinct_trigrams() {
        let text = |word: &str| countable_trigrams(IndexColumn::Text, word);
        assert!(text("antunes").is_empty(), "5 trigrams: the phrase");
        assert_eq!(text("sonia@an"), ["son", "oni", "nia", "ia@", "a@a", "@an"]);
        assert_eq!(text("aaaa@aaaa"), ["aaa", "aa@", "a@a", "@aa"]);
        assert!(text("francisca").is_empty(), "a name: its phrase");
        assert!(text("sonia.antunes").is_empty(), "no @: its phrase");
        assert!(text("99686@2320").is_empty(), "no letter");
        assert!(countable_trigrams(IndexColumn::Phones, "19996862320").is_empty());
        let email = "francisca.conceicao919@bol.com.br";
        let counted = text(email);
        assert!(
            counted.len() > 20 && counted.len() <= COUNTED_PER_WORD,
            "{counted:?}"
        );
        assert_eq!(counted.first().map(String::as_str), Some("fra"));
        assert_eq!(counted.last().map(String::as_str), Some(".br"));
    }

    #[test]
    fn the_rarest_trigrams_are_chosen_only_when_one_is_rare() {
        let counted = |pairs: &[(&str, u32)]| -> Vec<(String, u32)> {
            pairs.iter().map(|(t, c)| (t.to_string(), *c)).collect()
        };
        assert_eq!(
            rarest_trigrams(
                &counted(&[
                    ("com", 2001),
                    ("s55", 40),
                    ("5@b", 900),
                    ("@bo", 2001),
                    ("es5", 300)
                ]),
                2001
            ),
            Some(vec![
                "s55".to_string(),
                "es5".to_string(),
                "5@b".to_string()
            ])
        );
        // Every trigram common: the phrase is kept.
        assert_eq!(
            rarest_trigrams(&counted(&[("ant", 2001), ("tun", 2001)]), 2001),
            None
        );
        // One rare, the rest common: ties keep the word's order.
        assert_eq!(
            rarest_trigrams(
                &counted(&[("a", 2001), ("b", 7), ("c", 2001), ("d", 2001)]),
                2001
            ),
            Some(vec!["b".to_string(), "a".to_string(), "c".to_string()])
        );
        assert_eq!(rarest_trigrams(&[], 2001), None);
    }

    #[test]
    fn long_phone_digits_are_looked_up_by_the_trigrams_of_their_end() {
        let trigrams = |d: &str| phone_trigrams(d).map(|t| t.join(" "));
        assert_eq!(trigrams("5519996862320").as_deref(), Some("996 862 320"));
        assert_eq!(trigrams("996862320").as_deref(), Some("996 862 320"));
        assert_eq!(trigrams("99686232"), None, "short: the phrase");
        assert_eq!(trigrams("123"), None);
    }

    #[test]
    fn a_word_with_three_digit_trigrams_is_looked_up_by_them() {
        assert_eq!(
            digit_trigrams("otavio.falcao40@bol.com.br"),
            Some(["ao4", "o40", "40@", "0@b"].map(String::from).to_vec())
        );
        assert_eq!(digit_trigrams("maria.silva@gmail.com"), None, "no digit");
        assert_eq!(
            digit_trigrams("maria.silva7"),
            None,
            "one trigram holds the digit"
        );
        assert_eq!(
            digit_trigrams("ana7@x.com"),
            Some(["na7", "a7@", "7@x"].map(String::from).to_vec())
        );
        assert_eq!(
            digit_trigrams("ana19851986@x.com").map(|t| t.len()),
            Some(DIGIT_TRIGRAMS_MAX)
        );
    }

    #[test]
    fn narrowed_words_are_looked_up_by_their_trigrams() {
        let terms = parse_search("Sônia.Antunes55@bol.com.br lu");
        let mut narrowed = Narrowed::new();
        narrowed.insert(
            (
                IndexColumn::Text,
                "sonia.antunes55@bol.com.br lu".to_string(),
            ),
            vec!["s55".to_string(), "es5".to_string(), "5@b".to_string()],
        );
        assert_eq!(
            terms.index_query_narrowed(&narrowed).as_deref(),
            Some(r#"{text} : (("s55" AND "es5" AND "5@b"))"#)
        );
        assert_eq!(
            terms.index_query().as_deref(),
            Some(r#"{text} : ("sonia.antunes55@bol.com.br lu")"#)
        );
        let phone = parse_search("(19) 99686-2320");
        assert_eq!(
            phone.index_words(),
            [
                (IndexColumn::Text, "(19)".to_string()),
                (IndexColumn::Text, "99686-2320".to_string()),
                (IndexColumn::Phones, "19996862320".to_string())
            ]
        );
        let mut narrowed = Narrowed::new();
        narrowed.insert(
            (IndexColumn::Phones, "19996862320".to_string()),
            vec!["199".to_string(), "320".to_string(), "686".to_string()],
        );
        assert_eq!(
            phone.index_query_narrowed(&narrowed).as_deref(),
            Some(
                r#"({text} : ("(19)" AND "99686-2320")) OR ({phones} : ("199" AND "320" AND "686"))"#
            )
        );
        assert_eq!(IndexColumn::Phones.phrase("1\"2"), r#"{phones} : "1""2""#);
    }

    #[test]
    fn search_columns_hold_one_entry_per_line() {
        let emails = ["ana@x.com".to_string(), "ana@y.com".to_string()];
        let phones = ["+5511987654321".to_string(), "+14155552671".to_string()];
        assert_eq!(
            search_columns(
                "ana lucia",
                &emails,
                &phones,
                Some("529.982.247-25"),
                &["11222333000181"]
            ),
            (
                "ana lucia\nana@x.com\nana@y.com".to_string(),
                "5511987654321\n14155552671\n529.982.247-25\n11222333000181".to_string()
            )
        );
        // Without phones the document still starts on its own line (SQL's
        // '' || chr(10) || document).
        assert_eq!(
            search_columns("bia", &[], &[], Some("1"), &[]),
            ("bia".to_string(), "\n1".to_string())
        );
        assert_eq!(
            search_columns("", &[], &[], None, &[]),
            (String::new(), String::new())
        );
    }

    #[test]
    fn folding_removes_accents_case_and_extra_spaces() {
        assert_eq!(fold("  JOÃO  da Conceição "), "joao da conceicao");
        assert_eq!(fold("Antônio Gonçalves"), "antonio goncalves");
        assert_eq!(fold("ÁÉÍÓÚ àèìòù âêô ãõ ç ü"), "aeiou aeiou aeo ao c u");
    }

    #[test]
    fn index_query_needs_every_long_word_or_the_phone_digits() {
        assert_eq!(
            parse_search("Maria Silva").index_query().as_deref(),
            Some("{text} : (\"maria\" AND \"silva\")")
        );
        assert_eq!(
            parse_search("Maria da Silva").index_query().as_deref(),
            Some("{text} : (\"maria da silva\")")
        );
        assert_eq!(
            parse_search("(11) 98765-4321").index_query().as_deref(),
            Some("({text} : (\"(11)\" AND \"98765-4321\")) OR ({phones} : \"11987654321\")")
        );
        assert_eq!(
            parse_search("joao@x.com").index_query().as_deref(),
            Some("{text} : (\"joao@x.com\")")
        );
        // Inner quotes cannot break out of the phrase.
        assert_eq!(
            parse_search("a\"b\" OR x").index_query().as_deref(),
            Some("{text} : (\"a\"\"b\"\" or x\")")
        );
    }

    #[test]
    fn a_text_with_short_words_is_looked_up_whole() {
        assert_eq!(
            parse_search("Vitória Sá").index_query().as_deref(),
            Some("{text} : (\"vitoria sa\")")
        );
        assert_eq!(
            parse_search("maria de souza").index_words(),
            [(IndexColumn::Text, "maria de souza".to_string())]
        );
        // Only long words: each on its own, as before.
        assert_eq!(
            parse_search("sonia antunes").index_query().as_deref(),
            Some("{text} : (\"sonia\" AND \"antunes\")")
        );
        // A whole phrase of names is read as it is, never counted.
        assert!(countable_trigrams(IndexColumn::Text, "vitoria sa").is_empty());
    }

    #[test]
    fn short_text_cannot_use_the_index() {
        assert_eq!(parse_search("jo").index_query(), None);
        assert_eq!(parse_search("ab cd").index_query(), None);
        assert_eq!(parse_search("").index_query(), None);
        // "12" is an ID and 2-character text: walked.
        assert_eq!(parse_search("12").index_query(), None);
    }

    #[test]
    fn joao_and_upper_case_joao_fold_alike() {
        assert_eq!(fold("joao"), fold("JOÃO"));
    }

    #[test]
    fn every_phone_format_yields_digits_found_in_the_e164_number() {
        let stored = "+5511987654321";
        for query in [
            "(11) 98765-4321",
            "+55 11 98765-4321",
            "11987654321",
            "987654321",
        ] {
            let terms = parse_search(query);
            let digits = terms.digits.expect("phone-like query");
            assert!(stored.contains(&digits), "{query} -> {digits}");
        }
    }

    #[test]
    fn a_phone_being_typed_already_searches_by_its_digits() {
        assert_eq!(parse_search("(11) 9").digits.as_deref(), Some("119"));
    }

    #[test]
    fn a_name_is_not_taken_for_a_phone_number() {
        let terms = parse_search("Maria 2");
        assert_eq!(terms.digits, None);
        assert_eq!(terms.id, None);
        assert_eq!(terms.text.as_deref(), Some("maria 2"));
    }

    #[test]
    fn a_plain_number_is_also_a_contact_id() {
        assert_eq!(parse_search("123").id, Some(123));
        assert_eq!(parse_search("#42").id, Some(42));
        assert_eq!(parse_search("123").digits.as_deref(), Some("123"));
        assert_eq!(parse_search("12").digits, None, "too short for a phone");
        assert_eq!(parse_search("0").id, None);
    }

    #[test]
    fn an_empty_query_lists_everything() {
        assert!(parse_search("   ").is_empty());
        assert!(!parse_search("a").is_empty());
    }

    #[test]
    fn cursors_round_trip_even_with_colons_in_the_key() {
        let cursor = Cursor {
            sort_key: "ana: a primeira".into(),
            id: 7,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("garbage"), None);
        assert_eq!(Cursor::decode("x:y"), None);
    }

    #[test]
    fn page_sizes_are_clamped() {
        assert_eq!(page_size(None), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE_SIZE);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }

    #[test]
    fn a_requested_search_over_the_limit_is_refused_naming_its_field() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        let error = parse_requested_search("q", &long).expect_err("too long");
        assert_eq!(
            error,
            crate::error::AppError::invalid(
                "q",
                crate::problem::Problem::QueryTooLong { max: 200 }
            )
        );
        let at_limit = "á".repeat(MAX_QUERY_CHARS);
        assert!(
            parse_requested_search("q", &at_limit).is_ok(),
            "characters, not bytes"
        );
    }
}
