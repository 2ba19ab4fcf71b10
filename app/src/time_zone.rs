//! Time zones. Times are stored and sent in UTC (RFC 3339) and shown in the
//! viewer's zone:
//! - the browser formats them in its own zone, and reports that zone in the
//!   [`ZONE_COOKIE`] cookie each time the app starts;
//! - the server renders pages in the zone of that cookie, or else in the
//!   company's zone ([`DEFAULT_ZONE`] unless an admin changed it), so a page
//!   reads the same before and after the browser takes it over;
//! - CSV exports use the company's zone and name it in their header.

/// The cookie in which the browser reports its IANA zone (`America/Manaus`).
pub const ZONE_COOKIE: &str = "agenda_tz";

/// A new company's zone: Brasília time.
pub const DEFAULT_ZONE: &str = "America/Sao_Paulo";

/// The longest zone name accepted (the longest IANA name has 32 bytes).
pub const MAX_ZONE_LEN: usize = 64;

/// Brazil's zones, offered first when an admin picks the company's zone
/// (any IANA name is accepted). Brazil has no daylight saving time since
/// 2019, so each is one fixed offset.
pub const BRAZILIAN_ZONES: [(&str, &str); 4] = [
    ("America/Noronha", "Fernando de Noronha (UTC−02:00)"),
    ("America/Sao_Paulo", "Brasília (UTC−03:00)"),
    ("America/Manaus", "Amazonas (UTC−04:00)"),
    ("America/Rio_Branco", "Acre (UTC−05:00)"),
];

/// The zone a `Cookie` header reports in [`ZONE_COOKIE`], as sent (not yet
/// checked against the zone database).
pub fn zone_in_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == ZONE_COOKIE && !value.is_empty() && value.len() <= MAX_ZONE_LEN).then_some(value)
    })
}

/// The zone with this IANA name, if the zone database knows it.
#[cfg(feature = "ssr")]
pub fn parse_zone(name: &str) -> Option<chrono_tz::Tz> {
    if name.len() > MAX_ZONE_LEN {
        return None;
    }
    name.parse().ok()
}

/// A company's stored zone; the default if the name is unknown (a zone
/// dropped from a newer zone database must not break its pages).
#[cfg(feature = "ssr")]
pub fn zone_or_default(name: &str) -> chrono_tz::Tz {
    parse_zone(name).unwrap_or(chrono_tz::America::Sao_Paulo)
}

/// "2026-11-25T13:30:00Z" in `zone`: "2026-11-25T10:30:00-03:00" (the same
/// instant, with the zone's offset). Text that is not RFC 3339 is kept.
#[cfg(feature = "ssr")]
pub fn in_zone_rfc3339(rfc3339: &str, zone: chrono_tz::Tz) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => at
            .with_timezone(&zone)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zone_cookie_is_found_among_others() {
        assert_eq!(
            zone_in_cookie_header("agenda_locale=en; agenda_tz=America/Manaus; b=2"),
            Some("America/Manaus")
        );
        assert_eq!(zone_in_cookie_header("agenda_tz_x=UTC"), None);
        assert_eq!(zone_in_cookie_header("agenda_tz="), None);
        assert_eq!(
            zone_in_cookie_header(&format!("agenda_tz={}", "A".repeat(65))),
            None
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn zones_are_checked_against_the_database() {
        assert_eq!(
            parse_zone("America/Manaus"),
            Some(chrono_tz::America::Manaus)
        );
        assert_eq!(parse_zone("Mars/Olympus"), None);
        assert_eq!(parse_zone(""), None);
        for (name, _) in BRAZILIAN_ZONES {
            assert!(parse_zone(name).is_some(), "{name}");
        }
        assert_eq!(
            zone_or_default("Atlantis/Capital"),
            chrono_tz::America::Sao_Paulo
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn an_instant_is_written_with_the_zones_offset() {
        let manaus = chrono_tz::America::Manaus;
        assert_eq!(
            in_zone_rfc3339("2026-11-25T13:30:00Z", manaus),
            "2026-11-25T09:30:00-04:00"
        );
        // Past midnight in UTC is still the day before in Brasília.
        assert_eq!(
            in_zone_rfc3339("2026-12-01T02:15:00Z", zone_or_default(DEFAULT_ZONE)),
            "2026-11-30T23:15:00-03:00"
        );
        assert_eq!(in_zone_rfc3339("yesterday", manaus), "yesterday");
    }
}
