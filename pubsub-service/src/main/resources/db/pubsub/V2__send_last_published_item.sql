-- pubsub#send_last_published_item of each node (XEP-0060 §16.4.4): never, on_sub, on_sub_and_presence (PEP's default,
-- XEP-0163 §4.3.4, which nodes made before this column keep).
ALTER TABLE pubsub_nodes ADD COLUMN send_last VARCHAR(32) DEFAULT 'ON_SUB_AND_PRESENCE' NOT NULL;
