-- The rooms that name a user, found when its account is removed (JdbcRoomStore.roomsNaming): without this, a scan
-- of every room's affiliations.
CREATE INDEX ix_muc_affiliations_user ON muc_affiliations (user_key);
