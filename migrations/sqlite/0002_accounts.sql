-- Accounts: the people who sign in, their sessions, invitations and failed
-- logins. All of it lives in the database so that several server processes
-- share it (a login made on one server works on every other).

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    -- Lower-case; one account per address across all companies (it is the login).
    email          TEXT    NOT NULL UNIQUE,
    -- Argon2id in PHC string format.
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL,
    UNIQUE (company_id, id)
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is
-- stored, so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    company_id     INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL,
    FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Invitation links an admin hands to a new agent; the link holds the token.
CREATE TABLE invites (
    token_hash     TEXT    PRIMARY KEY,
    company_id     INTEGER NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
    created_by     INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL,
    accepted_by    INTEGER,
    FOREIGN KEY (company_id, created_by) REFERENCES users (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, accepted_by) REFERENCES users (company_id, id)
);

-- Failed logins per address, for rate limiting (kept for the window only).
CREATE TABLE login_failures (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL,
    failed_at      TEXT    NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
