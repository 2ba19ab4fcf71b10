-- What a company's admins allow its agents beyond their role
-- (app::auth::access): exporting the whole client base and importing
-- contacts are admin actions until an admin turns them on for agents.

ALTER TABLE companies ADD COLUMN agents_may_export INTEGER NOT NULL DEFAULT 0
    CHECK (agents_may_export IN (0, 1));
ALTER TABLE companies ADD COLUMN agents_may_import INTEGER NOT NULL DEFAULT 0
    CHECK (agents_may_import IN (0, 1));
