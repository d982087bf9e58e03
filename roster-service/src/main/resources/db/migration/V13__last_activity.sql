-- XEP-0012 last activity: when each account's last resource went unavailable, and its status text.
CREATE TABLE last_activity (
    username  VARCHAR(1023) NOT NULL,
    logout_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status    VARCHAR(4000),
    CONSTRAINT pk_last_activity PRIMARY KEY (username)
);
