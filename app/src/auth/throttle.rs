//! Login rate limiting: the policy, free of storage. The failures themselves
//! are kept in the database (`login_failures`), so every server process
//! applies the same limit.

use chrono::{DateTime, Duration, Utc};

/// Failed logins allowed for one e-mail address within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);

/// When the next attempt for an address is allowed, given its recent
/// failures (any order): `None` when it may try now.
pub fn retry_after(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let mut recent: Vec<DateTime<Utc>> = failures
        .iter()
        .copied()
        .filter(|at| *at > now - WINDOW)
        .collect();
    if recent.len() < MAX_FAILURES {
        return None;
    }
    // Allowed again once enough of the recent failures have aged out that
    // fewer than MAX_FAILURES remain inside the window.
    recent.sort_unstable();
    let unlocking = recent[recent.len() - MAX_FAILURES];
    Some((unlocking + WINDOW) - now)
}

/// Whole minutes to tell the user, rounding up (never "0 minutes").
pub fn minutes_to_wait(wait: Duration) -> i64 {
    ((wait.num_seconds() + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes_ago: i64, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::minutes(minutes_ago)
    }

    #[test]
    fn fewer_failures_than_the_limit_may_try_again() {
        let now = Utc::now();
        let failures: Vec<_> = (0..4).map(|m| at(m, now)).collect();
        assert_eq!(retry_after(&failures, now), None);
    }

    #[test]
    fn the_limit_locks_until_the_oldest_counted_failure_ages_out() {
        let now = Utc::now();
        let failures: Vec<_> = [1, 2, 3, 4, 10].iter().map(|m| at(*m, now)).collect();
        let wait = retry_after(&failures, now).expect("locked");
        assert_eq!(wait, Duration::minutes(5));
        assert_eq!(minutes_to_wait(wait), 5);
    }

    #[test]
    fn old_failures_do_not_count() {
        let now = Utc::now();
        let failures: Vec<_> = [1, 2, 3, 4, 16, 20].iter().map(|m| at(*m, now)).collect();
        assert_eq!(retry_after(&failures, now), None);
    }

    #[test]
    fn waiting_time_rounds_up_to_a_whole_minute() {
        assert_eq!(minutes_to_wait(Duration::seconds(1)), 1);
        assert_eq!(minutes_to_wait(Duration::seconds(61)), 2);
    }
}
