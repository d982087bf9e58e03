package io.aviary.xep0045;

import io.aviary.jdbctest.PostgresDatabase;
import io.aviary.muc.RoomSchema;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The room store contract on PostgreSQL, migrated by the same RoomSchema: one database for the class (creating one
 * per test cost seconds each), emptied before every test.
 */
class PostgresRoomStoreTest extends JdbcRoomStoreTest {

    private static DataSource shared;

    @Override
    DataSource database() {
        if (shared == null) {
            shared = PostgresDatabase.create().dataSource();
            RoomSchema.migrate(shared);
        }
        JdbcClient.create(shared)
                .sql("TRUNCATE muc_rooms, muc_room_config, muc_affiliations, muc_occupants, muc_history, muc_room_vcards").update();
        return shared;
    }
}
