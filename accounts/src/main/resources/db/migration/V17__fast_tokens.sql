-- XEP-0484 FAST tokens: only their SHA-256 hash, never the token. Two slots per client (XEP-0484 §6.1): 'new' for
-- a token issued but not used yet, 'current' for the one in use. Tokens go with their account (ON DELETE CASCADE);
-- a password change deletes them too (Accounts). Times are epoch milliseconds, portable between PostgreSQL and H2.

CREATE TABLE fast_tokens (
    username   VARCHAR(1023) NOT NULL,
    client     VARCHAR(64)   NOT NULL,  -- hex SHA-256 of the client's SASL2 user-agent id
    slot       VARCHAR(7)    NOT NULL,  -- 'new' or 'current'
    mechanism  VARCHAR(32)   NOT NULL,  -- the HT mechanism the token is bound to
    token_hash BYTEA         NOT NULL,  -- SHA-256 of the token
    issued_at  BIGINT        NOT NULL,
    expires_at BIGINT        NOT NULL,
    last_count BIGINT        NOT NULL,  -- the highest XEP-0484 replay counter accepted, -1 before any
    CONSTRAINT pk_fast_tokens PRIMARY KEY (username, client, slot),
    CONSTRAINT fk_fast_tokens_account FOREIGN KEY (username)
        REFERENCES accounts (username) ON DELETE CASCADE
);
