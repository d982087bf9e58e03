-- Subscription states and options (XEP-0060 §4.2, §6.3): pending until an owner authorizes (access model authorize);
-- pubsub#deliver, the one subscription option this service offers. Existing subscriptions stay subscribed, delivering.
ALTER TABLE pubsub_subscriptions ADD COLUMN state VARCHAR(16) DEFAULT 'SUBSCRIBED' NOT NULL;
ALTER TABLE pubsub_subscriptions ADD COLUMN deliver BOOLEAN DEFAULT TRUE NOT NULL;
