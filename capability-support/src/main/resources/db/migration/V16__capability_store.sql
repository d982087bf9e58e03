-- Key-value stores of capabilities and plugins (io.aviary.capability.KeyValueStore): values by capability, store,
-- owner (an account's bare JID or the domain) and key. Sizes keep the key under PostgreSQL's btree entry limit.
CREATE TABLE capability_store (
    capability VARCHAR(64)   NOT NULL,
    store      VARCHAR(64)   NOT NULL,
    owner      VARCHAR(2047) NOT NULL,
    item_key   VARCHAR(255)  NOT NULL,
    item_value TEXT          NOT NULL,
    PRIMARY KEY (capability, store, owner, item_key)
);
