-- The rest of a contact's details (the form's "Mostrar mais" part).
ALTER TABLE contacts ADD COLUMN birth_date TEXT;      -- YYYY-MM-DD
ALTER TABLE contacts ADD COLUMN document TEXT;        -- CPF/CNPJ digits, check digits verified
ALTER TABLE contacts ADD COLUMN gender TEXT CHECK (gender IN ('female', 'male', 'other'));
ALTER TABLE contacts ADD COLUMN facebook TEXT;
ALTER TABLE contacts ADD COLUMN instagram TEXT;
ALTER TABLE contacts ADD COLUMN telegram TEXT;
ALTER TABLE contacts ADD COLUMN website TEXT;
ALTER TABLE contacts ADD COLUMN notes TEXT;
-- Key of the uploaded photo in the photo store (files under the data dir).
ALTER TABLE contacts ADD COLUMN photo TEXT;
