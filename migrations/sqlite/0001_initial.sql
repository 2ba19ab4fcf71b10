-- Agenda's first schema (SQLite).
--
-- Tenancy: `companies` are the tenants. Every tenant-owned table carries a
-- `company_id`, and references between tenant-owned rows are composite foreign
-- keys on (company_id, id), so the database itself refuses a contact that
-- points at another company's organization or group.
--
-- Timestamps are RFC 3339 text in UTC (sqlx's encoding of chrono::DateTime<Utc>).

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    -- The demo company created on first start; its login is shown while it exists.
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  TEXT    NOT NULL
);

-- Organizations (the company a contact works for); one per contact at most.
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (company_id, name),
    UNIQUE (company_id, id)
);

-- Groups of contacts ("VIP", "Atacado", …); a contact can be in many.
CREATE TABLE contact_groups (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (company_id, name),
    UNIQUE (company_id, id)
);

CREATE TABLE contacts (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    -- The name folded for ordering and accent/case-insensitive search
    -- ("João" -> "joao"); maintained by the application on every write.
    sort_key         TEXT    NOT NULL,
    address          TEXT,
    organization_id  INTEGER,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    UNIQUE (company_id, id),
    -- No ON DELETE action: deleting an organization unlinks its contacts first,
    -- in the same transaction (SET NULL would also null company_id).
    FOREIGN KEY (company_id, organization_id) REFERENCES organizations (company_id, id)
);
-- The list's order and keyset paging: (sort_key, id) within a company.
CREATE INDEX contacts_company_sort ON contacts (company_id, sort_key, id);
CREATE INDEX contacts_organization ON contacts (company_id, organization_id);

-- Phone numbers, normalized to E.164 ("+5511987654321"); position 0 is the main one.
CREATE TABLE contact_phones (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    e164        TEXT    NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    UNIQUE (contact_id, position)
);
-- Duplicate detection and exact lookup by number within a company.
CREATE INDEX contact_phones_company_e164 ON contact_phones (company_id, e164);

-- E-mail addresses, stored lower-case; position 0 is the main one.
CREATE TABLE contact_emails (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    email       TEXT    NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    UNIQUE (contact_id, position)
);
CREATE INDEX contact_emails_company_email ON contact_emails (company_id, email);

CREATE TABLE contact_group_members (
    company_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    group_id    INTEGER NOT NULL,
    PRIMARY KEY (contact_id, group_id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, group_id) REFERENCES contact_groups (company_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_group_members_group ON contact_group_members (company_id, group_id, contact_id);
