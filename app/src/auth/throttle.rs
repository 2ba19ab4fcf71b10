//! Limits on anonymous attempts: the policy, free of storage.
//!
//! The counts live in the database (`attempt_counts`, `login_pace`; written
//! by `auth::repo`), so every server process on one database applies the
//! same limits, and each count is taken and decided in one statement:
//! concurrent attempts cannot all read "4 failures" and all go ahead.
//!
//! - A login is counted per (e-mail, client address): [`LOGIN`] allows 5
//!   attempts per 15 minutes. Someone guessing from one address cannot lock
//!   the owner out: the owner's own address has its own count.
//! - Failures for one e-mail from every address together are paced: past
//!   [`PACE_FREE_FAILURES`] within [`PACE_WINDOW_MS`], checks for that
//!   e-mail run one at a time, [`pace_spacing_ms`] apart (growing up to a
//!   minute). A login waits up to [`PACE_MAX_WAIT_MS`] for its turn, or is
//!   told how long to wait. This is a delay, never a lock: a turn always
//!   comes.
//! - Sign-ups are counted per client address ([`sign_up_window`]).

use std::net::IpAddr;

/// A fixed-window count: at most `max` attempts per `length_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub max: i64,
    pub length_ms: i64,
}

/// Login attempts for one e-mail from one client address.
pub const LOGIN: Window = Window {
    max: 5,
    length_ms: 15 * 60 * 1_000,
};

/// Sign-ups from one client address: `per_hour` per hour.
pub fn sign_up_window(per_hour: u32) -> Window {
    Window {
        max: i64::from(per_hour),
        length_ms: ATTEMPTS_KEPT_MS,
    }
}

/// The longest window counted in `attempt_counts` (sign-ups'): older
/// counts are forgotten.
pub const ATTEMPTS_KEPT_MS: i64 = 60 * 60 * 1_000;

/// Sign-ups allowed per client address and hour unless configured.
pub const DEFAULT_SIGN_UPS_PER_HOUR: u32 = 10;

/// Seconds until an attempt counted as the `attempts`-th of a window that
/// started at `window_start_ms` may be tried again, or `None` when it is
/// within the limit.
pub fn over_limit(attempts: i64, window_start_ms: i64, now_ms: i64, window: Window) -> Option<u64> {
    (attempts > window.max).then(|| seconds_until(window_start_ms + window.length_ms, now_ms))
}

/// Whole seconds from `now_ms` to `at_ms`, rounding up, at least one.
pub fn seconds_until(at_ms: i64, now_ms: i64) -> u64 {
    let ms = (at_ms - now_ms).max(1);
    (ms as u64).div_ceil(1_000)
}

/// Failures for one e-mail, from every client address together, before
/// its checks are spaced out.
pub const PACE_FREE_FAILURES: i64 = 10;
/// How long failures count towards the pace.
pub const PACE_WINDOW_MS: i64 = 60 * 60 * 1_000;
/// The most checks of one e-mail are spaced apart.
pub const PACE_MAX_SPACING_MS: i64 = 60_000;
/// The longest a login waits for its turn before it is told to come back.
pub const PACE_MAX_WAIT_MS: i64 = 5_000;

/// Milliseconds between checks of an e-mail with `failures` recent
/// failures: nothing below the free allowance, then 1 s doubling with each
/// failure up to [`PACE_MAX_SPACING_MS`].
pub fn pace_spacing_ms(failures: i64) -> i64 {
    if failures < PACE_FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - PACE_FREE_FAILURES).min(16) as u32;
    (1_000_i64 << doublings).min(PACE_MAX_SPACING_MS)
}

/// The key a client address is counted under: the address itself for
/// IPv4, its /64 network for IPv6 (one subscriber usually holds a whole
/// /64, so single IPv6 addresses would be free to change).
pub fn client_key(client: Option<IpAddr>) -> String {
    match client.map(|ip| ip.to_canonical()) {
        None => "unknown".to_string(),
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The key a login attempt is counted under: the (normalized) e-mail and
/// the client's key. E-mails hold no spaces, so the pair is unambiguous.
pub fn login_key(email: &str, client: &str) -> String {
    format!("{email} {client}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;

    #[test]
    fn attempts_within_the_limit_go_ahead() {
        for attempts in 1..=5 {
            assert_eq!(over_limit(attempts, 0, MINUTE, LOGIN), None);
        }
    }

    #[test]
    fn an_attempt_past_the_limit_waits_for_the_window_to_end() {
        assert_eq!(over_limit(6, 0, 10 * MINUTE, LOGIN), Some(5 * 60));
        assert_eq!(over_limit(40, 0, 15 * MINUTE - 1, LOGIN), Some(1));
    }

    #[test]
    fn waits_round_up_and_are_never_zero() {
        assert_eq!(seconds_until(1_001, 0), 2);
        assert_eq!(seconds_until(1_000, 0), 1);
        assert_eq!(seconds_until(0, 5_000), 1);
    }

    #[test]
    fn the_pace_starts_after_the_free_failures_and_grows_to_a_minute() {
        assert_eq!(pace_spacing_ms(0), 0);
        assert_eq!(pace_spacing_ms(PACE_FREE_FAILURES - 1), 0);
        assert_eq!(pace_spacing_ms(PACE_FREE_FAILURES), 1_000);
        assert_eq!(pace_spacing_ms(PACE_FREE_FAILURES + 1), 2_000);
        assert_eq!(pace_spacing_ms(PACE_FREE_FAILURES + 5), 32_000);
        assert_eq!(pace_spacing_ms(PACE_FREE_FAILURES + 6), PACE_MAX_SPACING_MS);
        assert_eq!(pace_spacing_ms(10_000), PACE_MAX_SPACING_MS);
    }

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_network() {
        assert_eq!(client_key(None), "unknown");
        assert_eq!(
            client_key(Some("203.0.113.7".parse().expect("ip"))),
            "203.0.113.7"
        );
        // An IPv4 address seen through an IPv6 socket is the same client.
        assert_eq!(
            client_key(Some("::ffff:203.0.113.7".parse().expect("ip"))),
            "203.0.113.7"
        );
        let a = client_key(Some("2001:db8:1:2:aaaa::1".parse().expect("ip")));
        let b = client_key(Some("2001:db8:1:2:bbbb::9".parse().expect("ip")));
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_eq!(
            login_key("ana@x.example", &a),
            "ana@x.example 2001:db8:1:2::/64"
        );
    }

    #[test]
    fn sign_ups_are_counted_per_hour() {
        let window = sign_up_window(2);
        assert_eq!(over_limit(2, 0, MINUTE, window), None);
        assert_eq!(over_limit(3, 0, MINUTE, window), Some(59 * 60));
    }
}
