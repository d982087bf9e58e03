package io.aviary.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.JdbcAccountStore;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.xep0313.ArchivePreferences;
import io.aviary.xep0313.ArchiveQuery;
import io.aviary.xep0313.ArchivedMessage;
import io.aviary.xep0313.JdbcArchiveStore;
import io.aviary.xep0313.PageRequest;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention on H2 with the real account store, both schemas migrated side by side as in the standalone app. */
class ArchiveRetentionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private JdbcArchiveStore store;
    private JdbcAccountStore accounts;

    @BeforeEach
    void database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate(); // the accounts module's db/migration
        ArchiveSchema.migrate(dataSource);
        store = new JdbcArchiveStore(dataSource);
        accounts = new JdbcAccountStore(dataSource);
        accounts.create("juliet", List.of());
        accounts.create("romeo", List.of());
    }

    private ArchiveRetention retention(Duration maxAge, int maxPerUser) {
        return new ArchiveRetention(store, accounts, "example.com", new ArchiveProperties.Retention(maxAge, maxPerUser, Duration.ofHours(1)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** {@code count} messages in the owner's archive, one an hour, the newest {@code newestHoursAgo} hours ago. */
    private void archive(String owner, int count, int newestHoursAgo) {
        IntStream.range(0, count).forEach(i -> store.append(new ArchivedMessage(owner, owner + i,
                NOW.minus(Duration.ofHours(newestHoursAgo + count - 1 - i)), Direction.INCOMING, "nurse@example.com",
                null, XmlElement.builder("message", "jabber:client").textChild("body", "hi " + i).build(), false)));
    }

    private List<String> ids(String owner) {
        return store.query(owner, ArchiveQuery.ALL, PageRequest.first(1000)).items().stream()
                .map(ArchivedMessage::id).toList();
    }

    @Test
    void messagesOlderThanMaxAgeGo() {
        archive("juliet@example.com", 5, 0); // 4, 3, 2, 1 and 0 hours old
        archive("romeo@example.com", 2, 10);
        retention(Duration.ofMinutes(150), 0).runOnce();
        assertThat(ids("juliet@example.com")).containsExactly("juliet@example.com2", "juliet@example.com3",
                "juliet@example.com4");
        assertThat(ids("romeo@example.com")).isEmpty();
    }

    @Test
    void eachArchiveIsTrimmedToItsNewestMessages() {
        archive("juliet@example.com", 5, 0);
        archive("romeo@example.com", 2, 0);
        retention(null, 3).runOnce();
        assertThat(ids("juliet@example.com")).containsExactly("juliet@example.com2", "juliet@example.com3",
                "juliet@example.com4");
        assertThat(ids("romeo@example.com")).hasSize(2);
    }

    @Test
    void withTheDefaultsNothingOfAnExistingAccountGoes() {
        archive("juliet@example.com", 5, 100_000);
        retention(null, 0).runOnce();
        assertThat(ids("juliet@example.com")).hasSize(5);
    }

    @Test
    void theArchiveAndPreferencesOfARemovedAccountGo() {
        archive("juliet@example.com", 2, 0);
        archive("tybalt@example.com", 3, 0);
        store.savePreferences("mercutio@example.com", new ArchivePreferences(ArchivePreferences.Default.NEVER,
                Set.of(), Set.of()));
        retention(null, 0).runOnce();
        assertThat(store.owners(null, 10)).containsExactly("juliet@example.com");
        assertThat(store.preferences("mercutio@example.com")).isEqualTo(ArchivePreferences.DEFAULT);
    }

    @Test
    void roomArchivesAreNoAccountsOfTheDomainAndStayWhateverTheirLocalpart() {
        archive("lounge@conference.example.com", 5, 0);
        archive("juliet@conference.example.com", 2, 0);
        retention(null, 1).runOnce();
        assertThat(ids("lounge@conference.example.com")).as("no account lounge, but a room").hasSize(5);
        assertThat(ids("juliet@conference.example.com")).as("the per-user limit is for accounts").hasSize(2);
    }

    @Test
    void everyOwnerIsVisitedBeyondTheFirstBatch() {
        int owners = ArchiveRetention.OWNER_BATCH * 2 + 3;
        for (int i = 0; i < owners; i++) {
            String user = "user" + i;
            accounts.create(user, List.of());
            archive(user + "@example.com", 2, 0);
        }
        accounts.delete("user" + (owners - 1), Instant.now());
        retention(null, 1).runOnce();
        assertThat(store.owners(null, owners)).hasSize(owners - 1)
                .allSatisfy(owner -> assertThat(ids(owner)).hasSize(1));
    }
}
