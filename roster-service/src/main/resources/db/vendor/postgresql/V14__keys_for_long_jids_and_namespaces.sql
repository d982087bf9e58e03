-- PostgreSQL only: RosterServiceConfiguration adds classpath:db/vendor/postgresql to Flyway's locations.
-- A btree index entry holds at most 2704 bytes, but RFC 7622 allows a localpart, a domainpart and
-- a resourcepart of 1023 bytes each, so (username, JID) keys of the longest JIDs cannot be indexed;
-- nor can private storage keys with a 1023-character namespace in a non-Latin script.
-- Key those rows on an MD5 instead: a generated column, so the stores' SQL stays the same as on H2,
-- whose indexes have no such limit. A collision would only refuse the second of two values.

ALTER TABLE roster_groups DROP CONSTRAINT fk_roster_groups_item;
ALTER TABLE roster_groups DROP CONSTRAINT pk_roster_groups;
ALTER TABLE roster_items DROP CONSTRAINT pk_roster_items;
ALTER TABLE blocked_jids DROP CONSTRAINT pk_blocked_jids;
ALTER TABLE private_storage DROP CONSTRAINT pk_private_storage;

ALTER TABLE roster_items ADD COLUMN contact_key CHAR(32) GENERATED ALWAYS AS (md5(contact)) STORED;
ALTER TABLE roster_groups ADD COLUMN contact_key CHAR(32) GENERATED ALWAYS AS (md5(contact)) STORED;
ALTER TABLE blocked_jids ADD COLUMN jid_key CHAR(32) GENERATED ALWAYS AS (md5(jid)) STORED;
-- An element name (an XML NCName) has no space, so the space separates the two unambiguously.
ALTER TABLE private_storage ADD COLUMN element_key CHAR(32)
    GENERATED ALWAYS AS (md5(element_name || ' ' || namespace)) STORED;

ALTER TABLE roster_items ADD CONSTRAINT pk_roster_items PRIMARY KEY (username, contact_key);
ALTER TABLE roster_groups ADD CONSTRAINT pk_roster_groups PRIMARY KEY (username, contact_key, position);
ALTER TABLE roster_groups ADD CONSTRAINT fk_roster_groups_item FOREIGN KEY (username, contact_key)
    REFERENCES roster_items (username, contact_key) ON DELETE CASCADE;
ALTER TABLE blocked_jids ADD CONSTRAINT pk_blocked_jids PRIMARY KEY (username, jid_key);
ALTER TABLE private_storage ADD CONSTRAINT pk_private_storage PRIMARY KEY (username, element_key);
