-- The web admin console's logins (admin-service, io.aviary.admin.console). Only the SHA-256 of the session cookie is
-- kept, so the table's contents cannot be replayed; the CSRF token is the one the console's pages send back.
CREATE TABLE admin_console_sessions (
    hash       VARCHAR(64)   NOT NULL,   -- hex SHA-256 of the cookie's value
    admin      VARCHAR(1100) NOT NULL,   -- the administrator's bare JID
    csrf       VARCHAR(64)   NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_admin_console_sessions PRIMARY KEY (hash)
);
CREATE INDEX ix_admin_console_sessions_expiry ON admin_console_sessions (expires_at);
