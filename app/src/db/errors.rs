//! Which database errors may pass when the same work is tried again.

/// Whether `error` says the database could not do the work *now* rather
/// than that the work is wrong: a statement that ran past the statement
/// timeout or was cancelled, a deadlock, a serialization failure, a lock
/// not available, too many connections or a server restarting, SQLite's
/// busy or locked database, a lost connection, no free connection in the
/// pool. A long job (the CSV import) retries such a batch instead of
/// failing; anything else (a constraint, a bug) is reported as it is.
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(database) => {
            let sqlite = database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some();
            database.code().is_some_and(|code| match sqlite {
                true => transient_sqlite_code(&code),
                false => transient_postgres_code(&code),
            })
        }
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs of work that may pass later.
fn transient_postgres_code(code: &str) -> bool {
    matches!(
        code,
        // query_canceled (statement_timeout), deadlock_detected,
        // serialization_failure, lock_not_available
        "57014" | "40P01" | "40001" | "55P03"
        // too_many_connections, admin_shutdown, crash_shutdown, cannot_connect_now
        | "53300" | "57P01" | "57P02" | "57P03"
    )
}

/// SQLite result codes (extended codes carry the primary one in their
/// low byte): SQLITE_BUSY (5) and SQLITE_LOCKED (6).
fn transient_sqlite_code(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_deadlocks_and_busy_databases_are_transient_the_rest_is_not() {
        for code in ["57014", "40P01", "40001", "55P03", "53300", "57P01"] {
            assert!(transient_postgres_code(code), "{code}");
        }
        // unique_violation, foreign_key_violation, syntax_error
        for code in ["23505", "23503", "42601"] {
            assert!(!transient_postgres_code(code), "{code}");
        }
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT (517)
        for code in ["5", "6", "517"] {
            assert!(transient_sqlite_code(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_CORRUPT (11), a SQLSTATE
        for code in ["2067", "11", "40P01"] {
            assert!(!transient_sqlite_code(code), "{code}");
        }
        assert!(is_transient(&sqlx::Error::PoolTimedOut));
        assert!(is_transient(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        ))));
        assert!(!is_transient(&sqlx::Error::RowNotFound));
        assert!(!is_transient(&sqlx::Error::PoolClosed));
    }
}
