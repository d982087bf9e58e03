-- XEP-0049 private XML storage: one element per account, element name and namespace.
CREATE TABLE private_storage (
    username     VARCHAR(1023) NOT NULL,
    element_name VARCHAR(255)  NOT NULL,
    namespace    VARCHAR(1023) NOT NULL,
    content      TEXT          NOT NULL,  -- the serialized element
    CONSTRAINT pk_private_storage PRIMARY KEY (username, namespace, element_name)
);
