package io.aviary.muc;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xep0045.InMemoryRoomStore;
import io.aviary.xep0045.JdbcRoomStore;
import io.aviary.xep0045.Occupant;
import io.aviary.xep0045.Role;
import io.aviary.xep0045.Room;
import io.aviary.xep0045.RoomConfig;
import io.aviary.xep0045.RoomStore;
import io.aviary.xep0045.Subject;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which store {@code aviary.muc.store} picks, and the standalone app's restart on its embedded file: persistent rooms
 * come back, the previous run's occupants (whose sessions ended with it) do not.
 */
class RoomStoreConfigurationTest {

    private static final EntityBareJid KEPT = JidCreate.entityBareFromOrThrowUnchecked("coven@conference.localhost");
    private static final EntityBareJid TEMPORARY =
            JidCreate.entityBareFromOrThrowUnchecked("lounge@conference.localhost");
    private static final EntityFullJid HAG = JidCreate.entityFullFromOrThrowUnchecked("hag66@localhost/pda");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomStoreConfiguration.class));

    @Test
    void withoutADatabaseRoomsAreInMemory() {
        runner.run(context -> assertThat(context).getBean(RoomStore.class).isInstanceOf(InMemoryRoomStore.class));
    }

    @Test
    void withADatabaseRoomsAreInItUnlessMemoryIsAskedFor(@TempDir Path dir) {
        ApplicationContextRunner withDatabase = runner
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + dir.resolve("aviary"));
        withDatabase.run(context -> assertThat(context).getBean(RoomStore.class).isInstanceOf(JdbcRoomStore.class));
        withDatabase.withPropertyValues("aviary.muc.store=memory")
                .run(context -> assertThat(context).getBean(RoomStore.class).isInstanceOf(InMemoryRoomStore.class));
    }

    @Test
    void aRestartWithClearingKeepsPersistentRoomsWithoutTheirOldOccupants(@TempDir Path dir) {
        ApplicationContextRunner onFile = runner
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + dir.resolve("aviary"));
        Room persistent = new Room(KEPT, RoomConfig.DEFAULT.withFields(
                Map.of("muc#roomconfig_persistentroom", List.of("1"))), Map.of(), new Subject("brew", "hag"), false,
                Instant.parse("2026-12-03T10:15:30Z"));
        onFile.run(context -> {
            RoomStore store = context.getBean(RoomStore.class);
            store.saveRoom(persistent);
            store.saveRoom(new Room(TEMPORARY, RoomConfig.DEFAULT, Map.of(), Subject.NONE, false,
                    Instant.parse("2026-12-03T10:15:30Z")));
            store.saveOccupant(KEPT, occupant());
            store.saveOccupant(TEMPORARY, occupant());
        });

        // Without clearing (a cluster's setting), everything is where it was.
        onFile.run(context -> {
            RoomStore store = context.getBean(RoomStore.class);
            assertThat(store.roomsOf(HAG)).containsExactlyInAnyOrder(KEPT, TEMPORARY);
        });

        onFile.withPropertyValues("aviary.muc.clear-occupants-on-start=true").run(context -> {
            RoomStore store = context.getBean(RoomStore.class);
            assertThat(store.room(KEPT)).contains(persistent);
            assertThat(store.occupants(KEPT)).isEmpty();
            assertThat(store.room(TEMPORARY)).isEmpty();
            assertThat(store.roomsOf(HAG)).isEmpty();
        });
    }

    private static Occupant occupant() {
        return new Occupant("hag", HAG, Role.PARTICIPANT, XmlElement.empty("presence", "jabber:client"), "occ-hag");
    }
}
