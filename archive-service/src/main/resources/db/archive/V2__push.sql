-- XEP-0357 push registrations: one row per account, push service JID and node.
CREATE TABLE push_registration (
    owner           VARCHAR(3071) NOT NULL,
    service         VARCHAR(3071) NOT NULL,
    node            VARCHAR(1023) NOT NULL,
    publish_options TEXT,
    PRIMARY KEY (owner, service, node)
);
