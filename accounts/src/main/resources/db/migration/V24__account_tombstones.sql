-- A removed account's name and when it was removed (epoch milliseconds): in-band registration does not hand the name
-- to someone else while contacts, rooms and servers elsewhere may still know it as the removed user's
-- (aviary.accounts.tombstone-expiry). Not tied to accounts: it outlives the account. Portable between PostgreSQL and H2.
CREATE TABLE account_tombstones (
    username   VARCHAR(1023) NOT NULL,
    removed_at BIGINT        NOT NULL,
    CONSTRAINT pk_account_tombstones PRIMARY KEY (username)
);
