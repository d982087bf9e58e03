-- pubsub#roster_groups_allowed (XEP-0060 §16.4.4) for the roster access model: the groups, one per line; empty for
-- none (every contact on the owner's roster).
ALTER TABLE pubsub_nodes ADD COLUMN roster_groups VARCHAR(65535) DEFAULT '' NOT NULL;
