package io.aviary.bench.archive;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.archive.ArchiveSchema;
import io.aviary.xep0313.ArchiveStore;
import io.aviary.xep0313.ArchiveWriter;
import io.aviary.xep0313.ArchivingPolicy;
import io.aviary.xep0313.InMemoryArchiveStore;
import io.aviary.xep0313.JdbcArchiveStore;
import io.aviary.xep0313.RocksDbArchiveStore;
import io.aviary.xep0313.RosterMembership;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * What archiving costs the standalone app: the chat scenario's archive records (each message twice, the sender's
 * outgoing and the recipient's incoming copy) handed to the {@link ArchiveWriter} as the archive service's consumer
 * hands them, written behind into the standalone app's store (RocksDB; or an H2 file, as it was before) or into a
 * cluster's PostgreSQL (a {@code jdbc:postgresql:} URL; as the cluster's archive tier writes, looking each id up since
 * Kafka may hand a record over again), at a fixed rate for a while.
 * Prints the CPU the whole process spent per second and per record and the file's size: at the chat rates of
 * docs/benchmarks.md, archiving must cost less than a quarter of the delivered rate.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.aviary.bench.archive.ArchiveWriteBenchmark [rocksdb|memory|h2[;options]|jdbc-url] [messages/s] [seconds] [users]</pre>
 */
public final class ArchiveWriteBenchmark {

    private static final String BODY = "a chat line of the load generator, about as long as one a person types";

    private ArchiveWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "rocksdb";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 9_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int users = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path dir = Files.createTempDirectory("aviary-archive-write");
        List<AutoCloseable> open = new ArrayList<>();
        ArchiveStore store;
        if (kind.equals("rocksdb")) {
            store = new RocksDbArchiveStore(dir.resolve("archive"));
            open.add((AutoCloseable) store);
        } else if (kind.equals("memory")) {
            store = new InMemoryArchiveStore(); // what the harness and the writer cost without a store
        } else if (kind.startsWith("h2") || kind.startsWith("jdbc:")) {
            // "h2" or "h2;OPTION=value…": an H2 file as the standalone app's archive was before RocksDB; or a URL
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(kind.startsWith("h2") ? "jdbc:h2:file:" + dir.resolve("archive") + kind.substring(2) : kind);
            HikariDataSource dataSource = new HikariDataSource(config);
            open.add(dataSource);
            ArchiveSchema.migrate(dataSource);
            store = new JdbcArchiveStore(dataSource);
        } else {
            throw new IllegalArgumentException("store: rocksdb, memory, h2[;options] or a JDBC URL: " + kind);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ArchiveWriter writer = new ArchiveWriter(store, new ArchivingPolicy(RosterMembership.NONE), meters);
        if (!kind.startsWith("jdbc:")) {
            writer.deliveredOnce(); // the standalone app's in-process bus hands each record over once
        }
        writer.writingBehind(20_000, store::inOneWrite, Optional::empty);
        System.out.printf("%s: %,d messages/s (%,d records/s) for %d s, %,d users%n", kind, rate, 2 * rate, seconds,
                users);
        Counter stored = meters.get("xmpp.archive.writes").tag("result", "stored").counter();
        run(writer, stored, rate, 5, users, "warm-up", dir);
        run(writer, stored, rate, seconds, users, "measured", dir);
        writer.close();
        for (AutoCloseable resource : open) {
            resource.close();
        }
    }

    private static void run(ArchiveWriter writer, Counter stored, int rate, int seconds, int users, String label, Path dir)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long writerStart = writerCpu();
        long start = System.nanoTime();
        double before = stored.count();
        long total = (long) rate * seconds;
        for (long sent = 0; sent < total; ) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / TimeUnit.SECONDS.toNanos(1));
            for (; sent < due; sent++) {
                int from = (int) (sent % users);
                int to = (int) ((sent * 7 + 1) % users);
                Stanza message = Stanza.of(XmlElement.builder("message", "jabber:client").attribute("type", "chat")
                        .attribute("id", "m" + sent).attribute("from", user(from) + "/bench")
                        .attribute("to", user(to)).textChild("body", BODY).build()).orElseThrow();
                Instant now = Instant.now();
                hand(writer, new ArchiveRecord(user(from), "o" + label + sent, Direction.OUTGOING, user(to), now,
                        Reach.NONE, message.element()));
                hand(writer, new ArchiveRecord(user(to), "i" + label + sent, Direction.INCOMING,
                        user(from) + "/bench", now, Reach.ONLINE, message.element()));
            }
            Thread.sleep(1);
        }
        long offered = System.nanoTime() - start;
        while (stored.count() - before < 2.0 * total) {
            Thread.sleep(10);
        }
        long elapsed = System.nanoTime() - start;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double writerCpu = (writerCpu() - writerStart) / 1e9;
        long records = 2 * total;
        System.out.printf("%s: %,d records offered in %.1f s, written in %.1f s (%,.0f records/s); CPU %.1f s = %.2f "
                        + "cores, %.1f µs per record, of which the writer thread %.1f µs; archive file %,d MB%n", label,
                records, offered / 1e9, elapsed / 1e9, records / (elapsed / 1e9), cpu, cpu / (elapsed / 1e9),
                cpu * 1e6 / records, writerCpu * 1e6 / records, size(dir) / 1_000_000);
    }

    /**
     * The CPU time of the write-behind's thread so far: the one thread that writes every owner's records, and so the
     * one that falls behind when the cores are busy.
     */
    private static long writerCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("archive-writer"))
                .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
    }

    private static void hand(ArchiveWriter writer, ArchiveRecord record) {
        writer.handleMessage(Stanza.of(record.message()).orElseThrow(), record.toBusMessage());
    }

    private static String user(int n) {
        return "bench-" + (n + 1) + "@localhost";
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
