-- Rosters (RFC 6121 §2) with their subscription states (Appendix A) and versions (XEP-0237).
-- One roster_versions row per account that ever had a roster change; locking it serialises the
-- changes to one roster. Portable between PostgreSQL and H2.

CREATE TABLE roster_versions (
    username VARCHAR(1023) NOT NULL,
    version  BIGINT        NOT NULL,
    CONSTRAINT pk_roster_versions PRIMARY KEY (username)
);

CREATE TABLE roster_items (
    username     VARCHAR(1023) NOT NULL,
    contact      VARCHAR(3071) NOT NULL,  -- bare JID: localpart and domainpart of at most 1023 bytes each
    name         VARCHAR(1023),
    subscription VARCHAR(4)    NOT NULL,  -- none, to, from, both
    pending_out  BOOLEAN       NOT NULL,
    pending_in   BOOLEAN       NOT NULL,
    pre_approved BOOLEAN       NOT NULL,
    listed       BOOLEAN       NOT NULL,
    CONSTRAINT pk_roster_items PRIMARY KEY (username, contact)
);

CREATE TABLE roster_groups (
    username   VARCHAR(1023) NOT NULL,
    contact    VARCHAR(3071) NOT NULL,
    position   INTEGER       NOT NULL,
    group_name VARCHAR(1023) NOT NULL,
    CONSTRAINT pk_roster_groups PRIMARY KEY (username, contact, position),
    CONSTRAINT fk_roster_groups_item FOREIGN KEY (username, contact)
        REFERENCES roster_items (username, contact) ON DELETE CASCADE
);
