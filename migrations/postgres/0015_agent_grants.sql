-- What a company's admins allow its agents beyond their role
-- (app::auth::access): exporting the whole client base and importing
-- contacts are admin actions until an admin turns them on for agents.

ALTER TABLE companies ADD COLUMN agents_may_export BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE companies ADD COLUMN agents_may_import BOOLEAN NOT NULL DEFAULT FALSE;
