package io.aviary.bench.archive;

import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveSchema;
import io.aviary.jdbctest.PostgresDatabase;
import io.aviary.xep0313.ArchiveQuery;
import io.aviary.xep0313.ArchiveStore;
import io.aviary.xep0313.ArchivedMessage;
import io.aviary.xep0313.JdbcArchiveStore;
import io.aviary.xep0313.Page;
import io.aviary.xep0313.PageRequest;
import io.aviary.xep0313.RocksDbArchiveStore;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.HdrHistogram.Histogram;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 12's archive target: a 1,000,000-message archive of 100 users answers a 50-message page with p99 &lt; 20 ms.
 * Fills the {@link JdbcArchiveStore} on an embedded PostgreSQL (a cluster's) and on an H2 file, and the
 * {@link RocksDbArchiveStore} (the standalone app's), and times
 * each page form through {@link JdbcArchiveStore#query}, which is what a MAM query costs the store: the page and the
 * result set's count. One thread, one query at a time.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.aviary.bench.archive.ArchiveQueryBenchmark [messages] [users] [queries] [postgresql,h2,rocksdb]</pre>
 */
public final class ArchiveQueryBenchmark {

    private static final int CONTACTS = 20;
    private static final int PAGE = 50;
    private static final int BATCH = 5000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final int messages;
    private final int users;
    private final int queries;

    private ArchiveQueryBenchmark(int messages, int users, int queries) {
        this.messages = messages;
        this.users = users;
        this.queries = queries;
    }

    public static void main(String[] args) throws Exception {
        ArchiveQueryBenchmark bench = new ArchiveQueryBenchmark(arg(args, 0, 1_000_000), arg(args, 1, 100),
                arg(args, 2, 2_000));
        System.out.printf("archive: %,d messages, %d users (%,d each), %d contacts each; %,d queries per form, page %d%n",
                bench.messages, bench.users, bench.messages / bench.users, CONTACTS, bench.queries, PAGE);

        List<String> stores = List.of((args.length > 3 ? args[3] : "postgresql,h2,rocksdb").split(","));
        if (stores.contains("postgresql")) {
            PostgresDatabase postgres = PostgresDatabase.create();
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(postgres.jdbcUrl());
            pg.setUser(postgres.username());
            pg.setPassword(postgres.password());
            pg.setReWriteBatchedInserts(true);
            bench.run("PostgreSQL (a cluster's)", pooled(pg), "VACUUM ANALYZE archive_messages");
        }
        Path dir = Files.createTempDirectory("aviary-archive-bench");
        if (stores.contains("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("archive") + ";WRITE_DELAY=0");
            bench.run("H2 (file)", pooled(h2), "ANALYZE");
        }
        if (stores.contains("rocksdb")) {
            try (RocksDbArchiveStore rocks = new RocksDbArchiveStore(dir.resolve("archive-messages"))) {
                bench.run("RocksDB (the standalone app's)", rocks);
            }
        }
        System.exit(0); // the embedded PostgreSQL stops in its shutdown hook
    }

    /** A connection pool as Spring Boot gives the services (Hikari), so a query does not pay for a login. */
    private static DataSource pooled(DataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private void run(String name, DataSource dataSource, String analyze) throws SQLException {
        ArchiveSchema.migrate(dataSource);
        JdbcArchiveStore store = new JdbcArchiveStore(dataSource);
        long fillStart = System.nanoTime();
        fill(store::appendAll);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(analyze);
        }
        query(name, store, fillStart);
    }

    private void run(String name, ArchiveStore store) {
        long fillStart = System.nanoTime();
        fill(batch -> store.inOneWrite(() -> batch.forEach(store::append)));
        query(name, store, fillStart);
    }

    private void query(String name, ArchiveStore store, long fillStart) {
        System.out.printf("%n%s: filled in %.1f s (batches of %d)%n", name, (System.nanoTime() - fillStart) / 1e9, BATCH);
        int perUser = messages / users;
        Random random = new Random(7);
        time(store, "first page", random, u -> new Query(ArchiveQuery.ALL, PageRequest.first(PAGE)));
        time(store, "last page", random, u -> new Query(ArchiveQuery.ALL, new PageRequest(PAGE, null, null, true)));
        time(store, "after-id, middle", random, u -> new Query(ArchiveQuery.ALL,
                new PageRequest(PAGE, id(u, perUser / 4 + random.nextInt(perUser / 2)), null, false)));
        time(store, "with contact, last page", random, u -> new Query(
                new ArchiveQuery(contact(u, random.nextInt(CONTACTS)), null, null, null, null, List.of()),
                new PageRequest(PAGE, null, null, true)));
        time(store, "with contact, after-id", random, u -> {
            int n = perUser / 4 + random.nextInt(perUser / 2);
            return new Query(new ArchiveQuery(contact(u, n % CONTACTS), null, null, null, null, List.of()),
                    new PageRequest(PAGE, id(u, n), null, false));
        });
    }

    /** Messages in time order, the users' archives interleaved as a server appends them. */
    private void fill(Consumer<List<ArchivedMessage>> store) {
        List<ArchivedMessage> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < messages; i++) {
            int user = i % users;
            int n = i / users;
            String with = contact(user, n % CONTACTS) + "/phone";
            XmlElement stanza = XmlElement.builder("message", "jabber:client").attribute("type", "chat")
                    .attribute("id", "c" + i).attribute("to", with)
                    .textChild("body", "message " + n + " of a conversation, about as long as a chat line").build();
            batch.add(new ArchivedMessage(owner(user), id(user, n), START.plusMillis(i * 100L),
                    n % 2 == 0 ? Direction.INCOMING : Direction.OUTGOING, with, "c" + i, stanza, false));
            if (batch.size() == BATCH) {
                store.accept(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.accept(batch);
        }
    }

    private void time(ArchiveStore store, String form, Random random, IntFunction<Query> queryOf) {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int warmUp = queries / 4;
        for (int i = 0; i < warmUp + queries; i++) {
            int user = random.nextInt(users);
            Query query = queryOf.apply(user);
            long start = System.nanoTime();
            Page page = store.query(owner(user), query.filter(), query.page());
            long took = System.nanoTime() - start;
            if (page.items().isEmpty()) {
                throw new IllegalStateException(form + ": an empty page");
            }
            if (i >= warmUp) {
                histogram.recordValue(took);
            }
        }
        System.out.printf("  %-24s p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms%n", form,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getMaxValue() / 1e6);
    }

    private static String owner(int user) {
        return "user" + user + "@localhost";
    }

    private static String contact(int user, int contact) {
        return "contact" + contact + "-of-" + user + "@example.net";
    }

    /** 16 characters, as the router's ids, distinct per (user, n). */
    private static String id(int user, int n) {
        return String.format("%016x", (long) user << 32 | n);
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private record Query(ArchiveQuery filter, PageRequest page) {
    }
}
