package io.aviary.xep0313;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aviary.archive.ArchiveRecord;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ArchiveStore} on {@code archive_messages} and {@code archive_preferences} ({@code db/archive/V1__archive.sql},
 * migrated by {@code io.aviary.archive.ArchiveSchema}); the same SQL on H2 and PostgreSQL but for the insert of a
 * message whose id may be there already. Pages are read by keyset on {@code seq} from their anchor with
 * {@code LIMIT max + 1} (the extra row tells whether the page is complete), so a page costs the same anywhere in an
 * archive; only {@link Page#count()} reads the whole result set, in the index.
 *
 * <p>Preferences are kept in memory for the owners written lately: the archive writer needs the owner's for every
 * record, and reading them from the database was about a quarter of what an archived record cost a cluster's archive
 * tier and its PostgreSQL in CPU (docs/benchmarks.md, "Preferences kept in memory"). Only the instance that handles
 * an owner's records on the bus changes the owner's preferences (its XEP-0441 requests and the account's removal come
 * in the same order on the same key), and it forgets them all when it is given other owners
 * ({@link #ownersReassigned}); a change made around the bus (another instance's retention sweep of a removed account)
 * lasts at most {@link #PREFERENCES_TTL} here.
 */
public final class JdbcArchiveStore implements ArchiveStore {

    /** Rows one retention statement deletes at most, so no transaction holds a large part of the table. */
    private static final int DELETE_BATCH = 1000;
    /** Owners whose preferences are kept in memory at most, and for how long. */
    private static final int PREFERENCES_CACHED = 10_000;
    private static final Duration PREFERENCES_TTL = Duration.ofMinutes(10);

    private static final String COLUMNS = "seq, owner, id, stamp, direction, with_full, client_id, message, retracted";
    private static final String INSERT = "INSERT INTO archive_messages (owner, id, stamp, direction, with_bare, "
            + "with_full, with_key, client_id, client_key, message, retracted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * How this database inserts a message unless the owner's archive has its id: a duplicate then changes no row
     * instead of failing, which on PostgreSQL would abort the whole transaction and with it the batch.
     */
    private enum InsertNew {
        /** PostgreSQL's own form, which costs its server about a fifth more than a plain insert. */
        ON_CONFLICT(INSERT + " ON CONFLICT (owner, id) DO NOTHING"),
        /**
         * The portable form, for H2 (which knows {@code ON CONFLICT} only in its PostgreSQL mode). Each value is cast:
         * a parameter in a select list has no column to take its type from. PostgreSQL spent twice as long on it as on
         * {@link #ON_CONFLICT} (docs/benchmarks.md, "The cluster's archive writer sending its inserts together").
         */
        NOT_EXISTS("INSERT INTO archive_messages (owner, id, stamp, direction, with_bare, with_full, with_key, "
                + "client_id, client_key, message, retracted) SELECT CAST(? AS VARCHAR(2047)), CAST(? AS VARCHAR(64)), "
                + "CAST(? AS TIMESTAMP(6) WITH TIME ZONE), CAST(? AS VARCHAR(8)), CAST(? AS VARCHAR(2047)), "
                + "CAST(? AS VARCHAR(3071)), CAST(? AS BIGINT), CAST(? AS VARCHAR(1048576)), CAST(? AS BIGINT), "
                + "CAST(? AS VARCHAR(1048576)), CAST(? AS BOOLEAN) "
                + "WHERE NOT EXISTS (SELECT 1 FROM archive_messages WHERE owner = ? AND id = ?)");

        final String sql;

        InsertNew(String sql) {
            this.sql = sql;
        }

        static InsertNew of(JdbcTemplate template) {
            String product = template.execute((Connection c) -> c.getMetaData().getDatabaseProductName());
            return "PostgreSQL".equals(product) ? ON_CONFLICT : NOT_EXISTS;
        }

        Object[] params(ArchivedMessage m) {
            Object[] row = row(m);
            if (this == ON_CONFLICT) {
                return row;
            }
            Object[] withKey = Arrays.copyOf(row, row.length + 2); // and the owner and id for the look-up
            withKey[row.length] = m.owner();
            withKey[row.length + 1] = m.id();
            return withKey;
        }
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final int deleteBatch;
    private final Cache<String, ArchivePreferences> cachedPreferences;
    private final InsertNew insertNew;

    public JdbcArchiveStore(DataSource dataSource) {
        this(dataSource, DELETE_BATCH);
    }

    /** With retention deletes of at most {@code deleteBatch} rows each (tests use small batches). */
    JdbcArchiveStore(DataSource dataSource, int deleteBatch) {
        this.deleteBatch = deleteBatch;
        this.jdbc = JdbcClient.create(dataSource);
        this.template = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.insertNew = InsertNew.of(template);
        // Eviction on the calling thread rather than the common pool: the size bound holds at once.
        this.cachedPreferences = Caffeine.newBuilder().maximumSize(PREFERENCES_CACHED).expireAfterWrite(PREFERENCES_TTL)
                .executor(Runnable::run).build();
    }

    @Override
    public boolean append(ArchivedMessage message) {
        try {
            return template.update(insertNew.sql, insertNew.params(message)) == 1;
        } catch (DuplicateKeyException e) {
            return false; // the (owner, id) key: the same record written by another instance meanwhile
        }
    }

    /**
     * In one JDBC batch, which the PostgreSQL driver sends as one exchange: the writer's thread waits for the database
     * once a run rather than once a message (docs/benchmarks.md, "The cluster's archive writer sending its inserts
     * together"). Whether a message was new is each statement's count of rows.
     */
    @Override
    public int append(List<Prepared> messages, boolean fresh) {
        int[] counts = template.batchUpdate(insertNew.sql,
                messages.stream().map(m -> insertNew.params(((AsGiven) m).message())).toList());
        int appended = 0;
        for (int count : counts) {
            if (count != 0) { // 1, or a driver's SUCCESS_NO_INFO
                appended++;
            }
        }
        return appended;
    }

    /**
     * Appends {@code messages} in their order in one batch (bulk loads: the benchmark, imports); unlike
     * {@link #append}, a duplicate id fails the batch.
     */
    public void appendAll(List<ArchivedMessage> messages) {
        template.batchUpdate(INSERT, messages.stream().map(JdbcArchiveStore::row).toList());
    }

    private static Object[] row(ArchivedMessage m) {
        return new Object[] {m.owner(), m.id(), utc(m.stamp()), m.direction().name(), m.withBare(), m.with(),
                key(m.withBare()), m.clientId(), m.clientId() == null ? null : key(m.clientId()), m.message().toXml(),
                m.retracted()};
    }

    @Override
    public void inOneWrite(Runnable work) {
        tx.executeWithoutResult(status -> work.run());
    }

    @Override
    public Page query(String owner, ArchiveQuery query, PageRequest page) {
        Filter filter = new Filter(owner);
        String index = "owner"; // the columns an equality fixes ahead of seq in the index the page walks
        if (query.with() != null) {
            String bare = bare(query.with());
            index = "owner, with_key";
            filter.and("with_key = ?", key(bare));
            if (bare.equals(query.with())) {
                filter.and("with_bare = ?", bare);
            } else {
                filter.and("with_full = ?", query.with()); // XEP-0313 §4.1.1: a full JID matches only itself
            }
        }
        if (query.start() != null) {
            filter.and("stamp >= ?", utc(query.start()));
        }
        if (query.end() != null) {
            filter.and("stamp <= ?", utc(query.end()));
        }
        if (query.afterId() != null) {
            filter.and("seq > ?", seq(owner, query.afterId()));
        }
        if (query.beforeId() != null) {
            filter.and("seq < ?", seq(owner, query.beforeId()));
        }
        if (!query.ids().isEmpty()) {
            filter.and("id IN (" + String.join(", ", Collections.nCopies(query.ids().size(), "?")) + ")",
                    query.ids().toArray());
        }
        long count = jdbc.sql("SELECT COUNT(*) FROM archive_messages WHERE " + filter.where())
                .params(filter.params()).query(Long.class).single();

        // The RSM anchor narrows the result set to the page's side of it; it need not match the filter itself.
        Filter side = filter.copy();
        if (page.after() != null) {
            side.and("seq > ?", seq(owner, page.after()));
        }
        if (page.before() != null) {
            side.and("seq < ?", seq(owner, page.before()));
        }
        List<ArchivedMessage> rows = new ArrayList<>(jdbc.sql("SELECT " + COLUMNS + " FROM archive_messages WHERE "
                        + side.where() + " ORDER BY " + orderBy(index + ", seq", page.backwards() ? "DESC" : "ASC")
                        + " LIMIT ?")
                .params(side.params()).param(page.max() + 1L).query(JdbcArchiveStore::message).list());
        boolean complete = rows.size() <= page.max();
        if (!complete) {
            rows.remove(rows.size() - 1);
        }
        if (page.backwards()) {
            Collections.reverse(rows);
        }
        return new Page(rows, complete, count);
    }

    /**
     * {@code columns} each in {@code direction}. Ordering by the columns an equality fixes changes nothing in the
     * result, but H2 walks an index in order (instead of sorting the whole archive) only when the ORDER BY is a prefix
     * of its columns; PostgreSQL sees through either form.
     */
    private static String orderBy(String columns, String direction) {
        return String.join(" " + direction + ", ", columns.split(", ")) + " " + direction;
    }

    @Override
    public Optional<ArchivedMessage> find(String owner, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM archive_messages WHERE owner = ? AND id = ?")
                .params(owner, id).query(JdbcArchiveStore::message).optional();
    }

    @Override
    public Optional<ArchivedMessage> findByClientId(String owner, String withBare, String clientId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM archive_messages WHERE owner = ? AND with_key = ? AND client_key = ?"
                        + " AND with_bare = ? AND client_id = ?"
                        + " ORDER BY " + orderBy("owner, with_key, client_key, seq", "DESC") + " LIMIT 1")
                .params(owner, key(withBare), key(clientId), withBare, clientId)
                .query(JdbcArchiveStore::message).optional();
    }

    @Override
    public boolean retract(String owner, String id, XmlElement tombstone) {
        return jdbc.sql("UPDATE archive_messages SET message = ?, retracted = TRUE WHERE owner = ? AND id = ?")
                .params(tombstone.toXml(), owner, id).update() == 1;
    }

    @Override
    public Optional<Bounds> bounds(String owner) {
        Optional<ArchivedMessage> first = end(owner, "ASC");
        return first.map(f -> new Bounds(f, end(owner, "DESC").orElse(f)));
    }

    private Optional<ArchivedMessage> end(String owner, String order) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM archive_messages WHERE owner = ? ORDER BY "
                        + orderBy("owner, seq", order) + " LIMIT 1")
                .param(owner).query(JdbcArchiveStore::message).optional();
    }

    @Override
    public int removeOwner(String owner) {
        try {
            jdbc.sql("DELETE FROM archive_preferences WHERE owner = ?").param(owner).update();
        } finally {
            cachedPreferences.invalidate(owner);
        }
        return deleteInBatches("owner = ?", owner);
    }

    @Override
    public int removeBefore(Instant cutoff) {
        return deleteInBatches("stamp < ?", utc(cutoff));
    }

    @Override
    public int trim(String owner, int keep) {
        // The newest message to go: the (keep + 1)-th from the end, walking the (owner, seq) index.
        Optional<Long> last = jdbc.sql("SELECT seq FROM archive_messages WHERE owner = ?"
                        + " ORDER BY " + orderBy("owner, seq", "DESC") + " OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")
                .params(owner, keep).query(Long.class).optional();
        return last.map(seq -> deleteInBatches("owner = ? AND seq <= ?", owner, seq)).orElse(0);
    }

    /** Deletes the rows matching {@code condition} in statements of at most {@link #deleteBatch} rows each. */
    private int deleteInBatches(String condition, Object... params) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("DELETE FROM archive_messages WHERE seq IN (SELECT seq FROM archive_messages WHERE "
                    + condition + " ORDER BY seq LIMIT " + deleteBatch + ")").params(params).update();
            total += deleted;
        } while (deleted == deleteBatch);
        return total;
    }

    @Override
    public List<String> owners(String after, int limit) {
        // One index seek per owner (a loose index scan), rather than a DISTINCT over every message.
        List<String> owners = new ArrayList<>();
        String last = after == null ? "" : after;
        while (owners.size() < limit) {
            String next = min(next("archive_messages", last), next("archive_preferences", last));
            if (next == null) {
                break;
            }
            owners.add(next);
            last = next;
        }
        return owners;
    }

    private String next(String table, String after) {
        return jdbc.sql("SELECT MIN(owner) FROM " + table + " WHERE owner > ?").param(after)
                .query(String.class).optional().orElse(null);
    }

    private static String min(String a, String b) {
        return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public ArchivePreferences preferences(String owner) {
        return cachedPreferences.get(owner, this::storedPreferences);
    }

    private ArchivePreferences storedPreferences(String owner) {
        Optional<String> policy = jdbc.sql("SELECT default_policy FROM archive_preferences WHERE owner = ?")
                .param(owner).query(String.class).optional();
        if (policy.isEmpty()) {
            return ArchivePreferences.DEFAULT;
        }
        Set<String> always = new HashSet<>();
        Set<String> never = new HashSet<>();
        jdbc.sql("SELECT policy, jid FROM archive_preference_jids WHERE owner = ?").param(owner)
                .query((ResultSet rs) -> {
                    (ArchivePreferences.Default.valueOf(rs.getString(1)) == ArchivePreferences.Default.ALWAYS
                            ? always : never).add(rs.getString(2));
                });
        return new ArchivePreferences(ArchivePreferences.Default.valueOf(policy.get()), always, never);
    }

    @Override
    public void savePreferences(String owner, ArchivePreferences preferences) {
        try {
            write(owner, preferences);
        } finally {
            // Even a write that failed may have committed (a lost answer): read them again either way.
            cachedPreferences.invalidate(owner);
        }
    }

    @Override
    public void ownersReassigned() {
        cachedPreferences.invalidateAll();
    }

    private void write(String owner, ArchivePreferences preferences) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM archive_preferences WHERE owner = ?").param(owner).update(); // and its JIDs
            jdbc.sql("INSERT INTO archive_preferences (owner, default_policy) VALUES (?, ?)")
                    .params(owner, preferences.defaultPolicy().name()).update();
            List<Object[]> jids = new ArrayList<>();
            preferences.always().forEach(jid -> jids.add(new Object[] {owner, "ALWAYS", jid}));
            preferences.never().forEach(jid -> jids.add(new Object[] {owner, "NEVER", jid}));
            template.batchUpdate("INSERT INTO archive_preference_jids (owner, policy, jid) VALUES (?, ?, ?)", jids);
        });
    }

    private long seq(String owner, String id) {
        return jdbc.sql("SELECT seq FROM archive_messages WHERE owner = ? AND id = ?").params(owner, id)
                .query(Long.class).optional().orElseThrow(() -> new UnknownArchiveIdException(id));
    }

    private static ArchivedMessage message(ResultSet rs, int row) throws SQLException {
        return new ArchivedMessage(rs.getString("owner"), rs.getString("id"),
                rs.getObject("stamp", OffsetDateTime.class).toInstant(),
                ArchiveRecord.Direction.valueOf(rs.getString("direction")), rs.getString("with_full"),
                rs.getString("client_id"), XmlFragment.parse(rs.getString("message")), rs.getBoolean("retracted"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** The first 64 bits of the value's SHA-256: what the indexes hold instead of JIDs and client ids of any length. */
    static long key(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A WHERE clause on one owner's messages, built condition by condition with its parameters. */
    private static final class Filter {

        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        Filter(String owner) {
            and("owner = ?", owner);
        }

        private Filter(Filter other) {
            conditions.addAll(other.conditions);
            params.addAll(other.params);
        }

        void and(String condition, Object... values) {
            conditions.add(condition);
            params.addAll(List.of(values));
        }

        Filter copy() {
            return new Filter(this);
        }

        String where() {
            return String.join(" AND ", conditions);
        }

        List<Object> params() {
            return params;
        }
    }
}
