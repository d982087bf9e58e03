-- Accounts and their SCRAM salted keys (design.md, "Durable state"): never a password.
-- Portable between PostgreSQL and H2: BYTEA is PostgreSQL's binary type and an H2 alias of
-- BINARY VARYING; TIMESTAMP WITH TIME ZONE and CURRENT_TIMESTAMP are standard.

CREATE TABLE accounts (
    username   VARCHAR(1023) NOT NULL,  -- normalised localpart (RFC 7622: at most 1023 bytes)
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_accounts PRIMARY KEY (username)
);

CREATE TABLE scram_credentials (
    username   VARCHAR(1023) NOT NULL,
    algorithm  VARCHAR(16)   NOT NULL,  -- ScramAlgorithm name: SHA_1, SHA_256, SHA_512
    salt       BYTEA         NOT NULL,
    iterations INTEGER       NOT NULL,
    stored_key BYTEA         NOT NULL,
    server_key BYTEA         NOT NULL,
    CONSTRAINT pk_scram_credentials PRIMARY KEY (username, algorithm),
    CONSTRAINT fk_scram_credentials_account FOREIGN KEY (username)
        REFERENCES accounts (username) ON DELETE CASCADE
);
