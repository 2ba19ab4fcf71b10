-- Limits on anonymous attempts, counted and decided in one statement each so
-- that concurrent requests cannot slip past them (docs/security.md).
-- Replaces login_failures, which was read, then written: 40 parallel guesses
-- all saw fewer than 5 failures.

DROP TABLE login_failures;

-- Attempts per key within a fixed window. scope 'login': key is the e-mail
-- and the client address; scope 'sign_up': key is the client address.
-- Times are milliseconds since the Unix epoch.
CREATE TABLE attempt_counts (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX attempt_counts_window ON attempt_counts (window_start);

-- Failed logins per e-mail from every client address together. Past a free
-- allowance, checks for the address are spaced out (spacing_ms, growing with
-- the failures): next_at is when the next one may run.
CREATE TABLE login_pace (
    email        TEXT    NOT NULL PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL,
    spacing_ms   INTEGER NOT NULL,
    next_at      INTEGER NOT NULL
);
CREATE INDEX login_pace_window ON login_pace (window_start);

-- Browsers that signed in to an e-mail's account (the digest of their
-- agenda_device cookie): a login from one of them is not paced, so failures
-- that others cause for the e-mail never keep its owner out.
CREATE TABLE login_devices (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    email      TEXT    NOT NULL,
    last_used  INTEGER NOT NULL
);
CREATE INDEX login_devices_used ON login_devices (last_used);
