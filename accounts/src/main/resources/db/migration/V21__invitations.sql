-- XEP-0401 invitations: the SHA-256 of each token (never the token), who invited, a reserved username, whether it may
-- create an account (XEP-0445), and when it expires (epoch milliseconds). Used once.
CREATE TABLE invitations (
    token_hash   VARCHAR(64)   NOT NULL,
    inviter      VARCHAR(3071),
    username     VARCHAR(1023),
    may_register BOOLEAN       NOT NULL,
    expires_at   BIGINT        NOT NULL,
    CONSTRAINT pk_invitations PRIMARY KEY (token_hash)
);
CREATE INDEX ix_invitations_username ON invitations (username);
