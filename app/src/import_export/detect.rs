//! Reading an uploaded CSV's shape before importing it: its encoding (UTF-8
//! with or without BOM, or Windows-1252 as old Excel writes it) and its
//! delimiter (`,`, `;` or tab). Pure: works on a sample of the file's first
//! bytes, so a 200 MB upload is never read twice.

/// How the file's bytes are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 starting with the BOM `EF BB BF` (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252 (a superset of Latin-1): old Excel's "CSV" on
    /// Portuguese Windows, where "ção" is `E7 E3 6F`.
    Windows1252,
}

impl TextEncoding {
    /// A name for messages and the import summary.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The encoding of a file from its first bytes. UTF-8 is chosen when the
/// sample is valid UTF-8 (a multi-byte character cut at the sample's end
/// does not count against it); otherwise Windows-1252, which decodes any
/// byte sequence.
pub fn sniff_encoding(sample: &[u8]) -> TextEncoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => TextEncoding::Utf8,
        // `error_len() == None`: the sample ends inside a character.
        Err(e) if e.error_len().is_none() => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    }
}

/// The delimiters a file may use, in order of preference on a tie.
pub const DELIMITERS: [u8; 3] = [b';', b',', b'\t'];

/// How many times `delimiter` occurs outside quotes on each of the first
/// lines of `text` (a quoted cell may hold delimiters and line breaks).
fn counts_per_line(text: &str, delimiter: u8, max_lines: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut count = 0;
    let mut quoted = false;
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                counts.push(count);
                count = 0;
                if counts.len() == max_lines {
                    return counts;
                }
            }
            b'\r' if !quoted && bytes.get(i + 1) != Some(&b'\n') => {
                counts.push(count);
                count = 0;
            }
            b if b == delimiter && !quoted => count += 1,
            _ => {}
        }
    }
    // The sample's last line may be cut: count it only when it is the only one.
    if counts.is_empty() && count > 0 {
        counts.push(count);
    }
    counts
}

/// The delimiter of a file from a sample of its text: the candidate that
/// splits the header into the most columns while splitting the following
/// lines the same way. `None` when no candidate splits the header at all
/// (a one-column file reads the same with any: `,` is then used).
pub fn sniff_delimiter(text: &str) -> Option<u8> {
    const LINES: usize = 20;
    let mut best: Option<(u8, usize, usize)> = None; // (delimiter, consistent lines, columns)
    for delimiter in DELIMITERS {
        let counts = counts_per_line(text, delimiter, LINES);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|c| **c == header).count();
        let better = match best {
            None => true,
            Some((_, best_consistent, best_columns)) => {
                (consistent, header) > (best_consistent, best_columns)
            }
        };
        if better {
            best = Some((delimiter, consistent, header));
        }
    }
    best.map(|(delimiter, _, _)| delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart_by_their_bytes() {
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFNome;Telefone"),
            TextEncoding::Utf8Bom
        );
        assert_eq!(
            sniff_encoding("Nome;Endereço".as_bytes()),
            TextEncoding::Utf8
        );
        // "Conceição" in Windows-1252.
        assert_eq!(
            sniff_encoding(b"Nome\r\nConcei\xE7\xE3o"),
            TextEncoding::Windows1252
        );
        // A sample cut in the middle of "ç" (C3 A7) is still UTF-8.
        assert_eq!(sniff_encoding(b"Nome;Concei\xC3"), TextEncoding::Utf8);
        assert_eq!(sniff_encoding(b""), TextEncoding::Utf8);
    }

    #[test]
    fn delimiters_are_found_where_they_split_every_line_alike() {
        assert_eq!(
            sniff_delimiter("Nome;Telefone;E-mail\r\nAna;11 9;a@x.com\r\n"),
            Some(b';')
        );
        assert_eq!(
            sniff_delimiter("First Name,Last Name,Phone 1 - Value\nAna,Silva,+55 11\n"),
            Some(b',')
        );
        assert_eq!(sniff_delimiter("Nome\tTelefone\nAna\t119\n"), Some(b'\t'));
        // Commas inside quotes and decimal commas do not fool it.
        assert_eq!(
            sniff_delimiter(
                "Nome;Endereço;Limite\n\"Ana\";\"Rua A, 10\";1234,50\nBia;\"Rua B, 2\";10,00\n"
            ),
            Some(b';')
        );
        // A quoted line break stays inside its cell.
        assert_eq!(sniff_delimiter("a,b\n\"x\ny\",z\n1,2\n"), Some(b','));
        assert_eq!(sniff_delimiter("Nome\nAna\n"), None);
        assert_eq!(sniff_delimiter(""), None);
    }
}
