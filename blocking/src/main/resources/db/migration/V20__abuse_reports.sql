-- XEP-0377 abuse reports sent with a block: the operators' review queue. Portable between PostgreSQL and H2.
CREATE TABLE abuse_reports (
    id          VARCHAR(36)                 NOT NULL,
    received    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    reporter    VARCHAR(3071)               NOT NULL,  -- the reporting account's bare JID
    reported    VARCHAR(3071)               NOT NULL,  -- the blocked JID
    reason      VARCHAR(255)                NOT NULL,
    report_text VARCHAR(4096)               NOT NULL,
    stanza_ids  VARCHAR(16384)              NOT NULL,  -- XEP-0359 ids in the reporter's archive, one per line
    resolution  VARCHAR(1024)               NOT NULL,  -- empty while open
    CONSTRAINT pk_abuse_reports PRIMARY KEY (id)
);
CREATE INDEX ix_abuse_reports_open ON abuse_reports (resolution, received);
