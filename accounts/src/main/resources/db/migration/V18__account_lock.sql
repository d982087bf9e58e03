-- Locked accounts (admin API, XEP-0133 disable-user): they keep their data but cannot log in.
ALTER TABLE accounts ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL;
