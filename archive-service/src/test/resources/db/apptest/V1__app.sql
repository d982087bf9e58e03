-- The application's own migration in ArchiveStoreConfigurationTest, standing for the other modules' db/migration.
CREATE TABLE app_things (id INTEGER);
