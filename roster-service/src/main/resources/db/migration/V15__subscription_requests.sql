-- The complete stanza of each inbound subscription request still pending (RFC 6121 §3.1.3: the contact's
-- server delivers "the complete subscription request stanza" at each login until it is answered), with
-- its id, status and extensions. A row lives only while the roster item is pending in; one per
-- (username, contact), which the store keeps (an account's subscription stanzas are handled in order).
-- No key on (username, contact): a PostgreSQL btree entry cannot hold the longest JIDs (see
-- db/vendor/postgresql/V14), so rows are found through the username.
CREATE TABLE subscription_requests (
    username VARCHAR(1023) NOT NULL,
    contact  VARCHAR(3071) NOT NULL,
    stanza   TEXT          NOT NULL
);

CREATE INDEX ix_subscription_requests_username ON subscription_requests (username);
