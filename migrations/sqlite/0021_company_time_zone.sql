-- The company's time zone (an IANA name, checked by the server): server
-- output with no viewer's zone — CSV exports, pages rendered before the
-- browser reports its own zone — is written in it (app::time_zone).

ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/Sao_Paulo';
