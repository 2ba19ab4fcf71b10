-- Conversations, their messages, the contact timeline and the inbound
-- endpoint's tokens (issue 7).

-- Facebook Messenger and the web widget can only be used once the customer
-- wrote through them: the first time they did.
ALTER TABLE contacts ADD COLUMN facebook_opened_at TEXT;
ALTER TABLE contacts ADD COLUMN widget_opened_at TEXT;
-- Who added the contact through the form (NULL: demo data, an import, an
-- inbound message).
ALTER TABLE contacts ADD COLUMN created_by INTEGER;
-- The channel whose inbound message created the contact.
ALTER TABLE contacts ADD COLUMN created_via TEXT;

CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL,
    contact_id       INTEGER NOT NULL,
    channel          TEXT    NOT NULL CHECK (channel IN (
                         'whatsapp', 'sms', 'call', 'email', 'telegram', 'instagram', 'facebook', 'widget')),
    status           TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    -- The agent in charge (NULL: nobody yet, e.g. a customer's first message).
    assigned_to      INTEGER,
    -- The agent who started it; NULL when the customer wrote first.
    started_by       INTEGER,
    started_at       TEXT    NOT NULL,
    closed_at        TEXT,
    last_message_at  TEXT    NOT NULL,
    -- The last message's first characters (the lists' preview).
    last_message     TEXT,
    message_count    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, assigned_to) REFERENCES users (company_id, id),
    FOREIGN KEY (company_id, started_by) REFERENCES users (company_id, id)
);
-- A contact's conversations, newest first (the Conversations tab, the chat
-- details' history) and the open one of a channel (inbound messages).
CREATE INDEX conversations_contact ON conversations (company_id, contact_id, id);
-- The conversations module's list: most recent activity first.
CREATE INDEX conversations_recent ON conversations (company_id, last_message_at, id);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL,
    -- 'in': from the customer; 'out': from an agent.
    direction        TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    author_id        INTEGER,
    body             TEXT    NOT NULL,
    sent_at          TEXT    NOT NULL,
    -- What the channel gateway answered for an outbound message
    -- ('recorded', 'sent', 'failed'); 'received' for inbound ones.
    delivery         TEXT    NOT NULL,
    FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, author_id) REFERENCES users (company_id, id)
);
CREATE INDEX messages_conversation ON messages (company_id, conversation_id, id);

-- The contact's timeline: an append-only log. "Created" is not stored here:
-- it is read from the contact row (created_at, created_by, created_via,
-- import_job_id), so an import of a million rows writes no extra events.
CREATE TABLE timeline_events (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL,
    contact_id       INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN (
                         'edited', 'conversation_started', 'conversation_closed',
                         'conversation_reopened', 'comment', 'linked', 'unlinked', 'merged')),
    -- The agent who did it; NULL for the customer or the system.
    actor_id         INTEGER,
    conversation_id  INTEGER,
    -- The event's details as JSON (changed fields, channel, …).
    data             TEXT,
    -- A comment's text.
    body             TEXT,
    at               TEXT    NOT NULL,
    -- A comment's last edit and its deletion (the row stays: the log says so).
    edited_at        TEXT,
    deleted_at       TEXT,
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, actor_id) REFERENCES users (company_id, id)
);
CREATE INDEX timeline_events_contact ON timeline_events (company_id, contact_id, id);

-- The token a channel provider sends to the inbound endpoint, one per
-- company (SHA-256; the token itself is shown once).
CREATE TABLE inbound_tokens (
    company_id   INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    created_by   INTEGER NOT NULL
);

-- An inbound message from a Telegram, Instagram or Facebook user finds its
-- contact by handle (stored without '@').
CREATE INDEX contacts_telegram ON contacts (company_id, lower(telegram)) WHERE telegram IS NOT NULL;
CREATE INDEX contacts_instagram ON contacts (company_id, lower(instagram)) WHERE instagram IS NOT NULL;
CREATE INDEX contacts_facebook ON contacts (company_id, lower(facebook)) WHERE facebook IS NOT NULL;
