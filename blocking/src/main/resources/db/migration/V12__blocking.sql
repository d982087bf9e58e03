-- XEP-0191 blocking command: the JIDs each account blocks.
CREATE TABLE blocked_jids (
    username VARCHAR(1023) NOT NULL,
    jid      VARCHAR(3071) NOT NULL,  -- normalised JID string (RFC 7622: up to 3071 bytes)
    CONSTRAINT pk_blocked_jids PRIMARY KEY (username, jid)
);
