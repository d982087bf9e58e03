-- Account removals asked for outside the server (`aviary user delete`, which has only the database): the account is
-- locked at once, and the server's admin service completes the removal as the admin API's does (account.removed to
-- every capability, the account's sessions ended). A request goes with its account. Portable between PostgreSQL and H2.
CREATE TABLE account_removals (
    username     VARCHAR(1023) NOT NULL,
    requested_at TIMESTAMP     NOT NULL,
    CONSTRAINT pk_account_removals PRIMARY KEY (username),
    CONSTRAINT fk_account_removals_account FOREIGN KEY (username)
        REFERENCES accounts (username) ON DELETE CASCADE
);
