-- The services where a JID is affiliated, found when its account is removed (JdbcPubsubStore.servicesNaming).
CREATE INDEX ix_pubsub_affiliations_jid ON pubsub_affiliations (jid);
