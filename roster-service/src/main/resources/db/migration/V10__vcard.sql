-- XEP-0054 vcard-temp: one vCard per account, kept as the serialized <vCard/> element.
-- Rows are removed by the vCard capability's AccountListener when the account is cancelled.
CREATE TABLE vcards (
    username   VARCHAR(1023) NOT NULL,  -- normalised localpart, as in accounts
    vcard      TEXT          NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_vcards PRIMARY KEY (username)
);
