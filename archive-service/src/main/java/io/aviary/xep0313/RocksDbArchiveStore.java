package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.NativeLibraryLoader;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ArchiveStore} on RocksDB, a log-structured embedded key-value store: the standalone app's archive. Each message
 * is appended as a few short keys (its row, its place in the conversation, its id, its client id) in one atomic write
 * that goes to a log and a memory table, later merged into sorted files in the background. The embedded SQL database
 * cost the standalone chat most of its rate: every archived message rewrote a page of each owner-first index, and at
 * chat rates that was ten times the CPU of a write here (docs/benchmarks.md, "What archiving costs the standalone chat").
 *
 * <p>Keys start with the owner's bare JID and a zero byte (no JID contains one), so an owner's keys are one range:
 * <ul>
 *   <li>{@code messages}: owner, seq → the message (stamp, direction, ids, the other party, the XML);
 *   <li>{@code conversations}: owner, the other party's bare JID, 0, seq → stamp and full JID, the walk of a {@code with}
 *       query;
 *   <li>{@code ids}: owner, stanza id → seq; {@code client-ids}: owner, bare JID, 0, client id → seq of the newest;
 *   <li>{@code preferences}: owner → XEP-0441 preferences; {@code counts}: owner → how many messages; the default
 *       family: the next seq.
 * </ul>
 * {@code seq} (8 bytes, big-endian) is one counter for the whole store, so it orders each owner's messages as they were
 * appended, and pages are read by walking a range from an anchor. Writes go through the log without a sync, as the
 * standalone app's other embedded files: a crash of the process loses nothing written, a crash of the machine the last
 * moments.
 */
public final class RocksDbArchiveStore implements ArchiveStore, AutoCloseable {

    private static final byte[] NEXT_SEQ = "next-seq".getBytes(StandardCharsets.UTF_8);
    private static final int FORMAT = 1;
    private static final int DELETE_BATCH = 1000;
    /** Memory tables of all families together (flushed to files beyond that) and the block cache, in bytes. */
    private static final long WRITE_BUFFERS = 32L << 20;
    private static final long BLOCK_CACHE = 32L << 20;
    /** The store's subdirectory that holds RocksDB's native library while the process runs. */
    static final String NATIVE = "native";
    private static final Logger log = LoggerFactory.getLogger(RocksDbArchiveStore.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle messages;
    private final ColumnFamilyHandle conversations;
    private final ColumnFamilyHandle ids;
    private final ColumnFamilyHandle clientIds;
    private final ColumnFamilyHandle preferences;
    private final ColumnFamilyHandle counts;
    private final WriteOptions writeOptions;
    private long nextSeq; // guarded by this
    /** What {@link #inOneWrite} gathers on this thread; null outside it. */
    private final ThreadLocal<Gathering> pending = new ThreadLocal<>();

    /** Opens (creating if needed) the store in {@code directory}. */
    public RocksDbArchiveStore(Path directory) {
        try {
            Files.createDirectories(directory);
            loadLibrary(directory.resolve(NATIVE));
            LRUCache cache = keep(new LRUCache(BLOCK_CACHE));
            WriteBufferManager buffers = keep(new WriteBufferManager(WRITE_BUFFERS, cache));
            DBOptions options = keep(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setWriteBufferManager(buffers).setMaxBackgroundJobs(2).setKeepLogFileNum(2)
                    .setMaxLogFileSize(1L << 20));
            List<ColumnFamilyDescriptor> families = List.of(
                    family(RocksDB.DEFAULT_COLUMN_FAMILY, cache, false),
                    family("messages".getBytes(StandardCharsets.UTF_8), cache, false),
                    family("conversations".getBytes(StandardCharsets.UTF_8), cache, false),
                    family("ids".getBytes(StandardCharsets.UTF_8), cache, true),
                    family("client-ids".getBytes(StandardCharsets.UTF_8), cache, true),
                    family("preferences".getBytes(StandardCharsets.UTF_8), cache, true),
                    counter("counts".getBytes(StandardCharsets.UTF_8), cache));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(options, directory.toString(), families, handles);
            handles.forEach(this::keep);
            meta = handles.get(0);
            messages = handles.get(1);
            conversations = handles.get(2);
            ids = handles.get(3);
            clientIds = handles.get(4);
            preferences = handles.get(5);
            counts = handles.get(6);
            writeOptions = keep(new WriteOptions());
            byte[] next = db.get(meta, NEXT_SEQ);
            nextSeq = next == null ? 1 : ByteBuffer.wrap(next).getLong();
        } catch (RocksDBException | IOException e) {
            close();
            throw new IllegalStateException("cannot open the message archive in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks RocksDB's native library from its jar into {@code directory}, under a fixed name, and loads it. Left to
     * itself RocksDB unpacks it into a new file of the system's temporary directory at every start and removes it only
     * when the JVM exits normally, so each crash, hard kill or exit on {@code OutOfMemoryError} left 16 MB behind there;
     * a fixed file is replaced at the next start. Where the library cannot be loaded from {@code directory} (a file
     * system mounted {@code noexec}), RocksDB's own place is used.
     */
    private static void loadLibrary(Path directory) {
        try {
            Files.createDirectories(directory);
            NativeLibraryLoader.getInstance().loadLibrary(directory.toString());
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            log.warn("RocksDB's native library could not be loaded from {} ({}), unpacking it into the temporary"
                    + " directory", directory, e.toString());
        }
        RocksDB.loadLibrary(); // nothing more once the loader above succeeded
    }

    /**
     * Messages compressed; the families read by exact key get Bloom filters, so a miss costs no file read. Every flush
     * holds keys of every archive, so each compaction of the newest files rewrites the whole bottom level they overlap:
     * waiting for eight files instead of four halves those rewrites, which cut the writer's CPU per record by 12 %
     * (ArchiveWriteBenchmark, 24,000 records/s) and left the query benchmark's p99 under 2 ms.
     */
    private ColumnFamilyDescriptor family(byte[] name, LRUCache cache, boolean pointLookups) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache);
        if (pointLookups) {
            table.setFilterPolicy(keep(new BloomFilter(10)));
        }
        ColumnFamilyOptions options = keep(new ColumnFamilyOptions().setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setLevel0FileNumCompactionTrigger(8));
        return new ColumnFamilyDescriptor(name, options);
    }

    /**
     * Each owner's message count, changed by merging a signed difference into it (RocksDB's {@code uint64add}: adding
     * the two's complement subtracts), so the writes of one batch need not read it.
     */
    private ColumnFamilyDescriptor counter(byte[] name, LRUCache cache) {
        ColumnFamilyOptions options = keep(new ColumnFamilyOptions().setMergeOperatorName("uint64add")
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
                        .setFilterPolicy(keep(new BloomFilter(10)))));
        return new ColumnFamilyDescriptor(name, options);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public boolean append(ArchivedMessage message) {
        return append(prepare(message));
    }

    /**
     * The message encoded and its keys built, all but their seq: the writer thread then only numbers and writes them.
     * Encoding was a tenth of that thread's CPU at chat rates (docs/benchmarks.md, "Seventh round").
     */
    @Override
    public Prepared prepare(ArchivedMessage message) {
        byte[] ownerKey = owner(message.owner());
        byte[] conversationKey = conversation(message.owner(), message.withBare());
        return new Encoded(message.owner(), message.id(), ownerKey, conversationKey,
                concat(ownerKey, utf8(message.id())),
                message.clientId() == null ? null : clientKey(conversationKey, message.clientId()),
                entry(message.stamp(), message.with()), encode(message));
    }

    /** A message as {@link #add} writes it: its keys without the seq (the seq keys' prefixes), and its values. */
    private record Encoded(String owner, String id, byte[] ownerKey, byte[] conversationKey, byte[] idKey,
                           byte[] clientKey, byte[] entry, byte[] value) implements Prepared {
    }

    @Override
    public synchronized boolean append(Prepared prepared) {
        Encoded message = (Encoded) prepared;
        Gathering gathering = pending.get();
        try {
            ByteBuffer id = ByteBuffer.wrap(message.idKey());
            if ((gathering != null && gathering.ids.contains(id)) || db.get(ids, message.idKey()) != null) {
                return false;
            }
            add(message);
            if (gathering != null) {
                gathering.ids.add(id);
            }
            return true;
        } catch (RocksDBException e) {
            throw failure("append to", message.owner(), e);
        }
    }

    /**
     * Without the look-up of the id, a quarter of the archive writer's CPU at chat rates: the read goes through the
     * memory table and the Bloom filter of every file of the {@code ids} family (docs/benchmarks.md, "Sixth round").
     */
    @Override
    public synchronized void appendNew(Prepared prepared) {
        try {
            add((Encoded) prepared);
        } catch (RocksDBException e) {
            throw failure("append to", prepared.owner(), e);
        }
    }

    private void add(Encoded message) throws RocksDBException {
        Gathering gathering = pending.get();
        long seq = nextSeq++;
        write(batch -> {
            batch.put(messages, seqKey(message.ownerKey(), seq), message.value());
            batch.put(conversations, seqKey(message.conversationKey(), seq), message.entry());
            byte[] seqBytes = seqBytes(seq);
            batch.put(ids, message.idKey(), seqBytes);
            if (message.clientKey() != null) {
                batch.put(clientIds, message.clientKey(), seqBytes);
            }
            if (gathering == null) {
                batch.put(meta, NEXT_SEQ, seqBytes(seq + 1));
                batch.merge(counts, utf8(message.owner()), difference(1));
            }
        });
        if (gathering != null) {
            gathering.appended.merge(message.owner(), 1, Integer::sum);
        }
    }

    /**
     * Gathers what {@code work} writes into one write of the database: one log write for a whole batch of the
     * write-behind instead of one per message. A read within {@code work} (a retraction looks up its original) first
     * writes what has gathered, so it sees it. A seq taken by a write that fails is not taken again: the persisted
     * next seq is never behind a written one.
     */
    @Override
    public synchronized void inOneWrite(Runnable work) {
        if (pending.get() != null) {
            work.run();
            return;
        }
        try (Gathering gathering = new Gathering()) {
            pending.set(gathering);
            work.run();
            flushPending();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to the archive: " + e.getMessage(), e);
        } finally {
            pending.remove();
        }
    }

    /**
     * A batch of writes, the ids it appends (which the database does not know yet) and how many messages it appends
     * to each owner's archive. The next seq and the counts are written once per batch, not per message: every key
     * written costs an insert into a memory table's skip list, the store's largest share of the CPU at chat rates.
     */
    private static final class Gathering implements AutoCloseable {
        final WriteBatch batch = new WriteBatch();
        final Set<ByteBuffer> ids = new HashSet<>();
        final Map<String, Integer> appended = new HashMap<>();

        @Override
        public void close() {
            batch.close();
        }
    }

    /** Writes to a batch: the gathering one, or one of its own written at once. */
    @FunctionalInterface
    private interface Writes {
        void to(WriteBatch batch) throws RocksDBException;
    }

    private void write(Writes writes) throws RocksDBException {
        Gathering gathering = pending.get();
        if (gathering != null) {
            writes.to(gathering.batch);
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            writes.to(batch);
            db.write(writeOptions, batch);
        }
    }

    private void flushPending() throws RocksDBException {
        Gathering gathering = pending.get();
        if (gathering != null && gathering.batch.count() > 0) {
            if (!gathering.appended.isEmpty()) {
                gathering.batch.put(meta, NEXT_SEQ, seqBytes(nextSeq));
                for (Map.Entry<String, Integer> owner : gathering.appended.entrySet()) {
                    gathering.batch.merge(counts, utf8(owner.getKey()), difference(owner.getValue()));
                }
            }
            db.write(writeOptions, gathering.batch);
            gathering.batch.clear();
            gathering.ids.clear();
            gathering.appended.clear();
        }
    }

    /** A read that sees every write of this thread. */
    private byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
        flushPending();
        return db.get(family, key);
    }

    /** What a walk sees of a message without decoding it all: its place, time and the other party. */
    private record Entry(long seq, Instant stamp, String with) {
    }

    @Override
    public Page query(String owner, ArchiveQuery query, PageRequest page) {
        byte[] prefix;
        ColumnFamilyHandle walked;
        String fullWith = null;
        if (query.with() == null) {
            prefix = owner(owner);
            walked = messages;
        } else {
            String bare = ArchivingPolicy.bare(query.with());
            prefix = conversation(owner, bare);
            walked = conversations;
            fullWith = bare.equals(query.with()) ? null : query.with(); // XEP-0313 §4.1.1: a full JID only itself
        }
        long low = query.afterId() == null ? 0 : knownSeq(owner, query.afterId()) + 1;
        long high = query.beforeId() == null ? Long.MAX_VALUE : knownSeq(owner, query.beforeId());
        Set<Long> only = query.ids().isEmpty() ? null : seqsOf(owner, query.ids());
        String with = fullWith;
        Predicate<Entry> matches = e -> (query.start() == null || !e.stamp().isBefore(query.start()))
                && (query.end() == null || !e.stamp().isAfter(query.end()))
                && (with == null || with.equals(e.with())) && (only == null || only.contains(e.seq()));
        long[] count = {0};
        boolean everything = query.with() == null && query.start() == null && query.end() == null && low == 0
                && high == Long.MAX_VALUE && only == null;
        if (everything) {
            count[0] = count(owner); // the whole archive: no walk of all of it
        } else {
            walk(walked, prefix, low, high, false, e -> {
                if (matches.test(e)) {
                    count[0]++;
                }
                return true;
            });
        }
        // The RSM anchor narrows the result set to the page's side of it; it need not match the filter itself.
        long from = page.after() == null ? low : Math.max(low, knownSeq(owner, page.after()) + 1);
        long to = page.before() == null ? high : Math.min(high, knownSeq(owner, page.before()));
        List<Long> seqs = new ArrayList<>();
        walk(walked, prefix, from, to, page.backwards(), e -> {
            if (matches.test(e)) {
                seqs.add(e.seq());
            }
            return seqs.size() <= page.max();
        });
        boolean complete = seqs.size() <= page.max();
        if (!complete) {
            seqs.remove(seqs.size() - 1);
        }
        if (page.backwards()) {
            Collections.reverse(seqs);
        }
        List<ArchivedMessage> items = new ArrayList<>(seqs.size());
        for (long seq : seqs) {
            message(owner, seq).ifPresent(items::add);
        }
        return new Page(items, complete, count[0]);
    }

    /**
     * Walks the keys {@code prefix + seq} with {@code from <= seq < to}, oldest first or newest first, while
     * {@code visitor} says to go on.
     */
    private void walk(ColumnFamilyHandle family, byte[] prefix, long from, long to, boolean backwards,
                      Predicate<Entry> visitor) {
        if (from >= to) {
            return;
        }
        try (RocksIterator it = db.newIterator(family)) {
            if (backwards) {
                it.seekForPrev(seqKey(prefix, to - 1));
            } else {
                it.seek(seqKey(prefix, from));
            }
            for (; it.isValid() && startsWith(it.key(), prefix); step(it, backwards)) {
                long seq = ByteBuffer.wrap(it.key(), prefix.length, Long.BYTES).getLong();
                if (seq < from || seq >= to) {
                    return;
                }
                if (!visitor.test(family == messages ? entryOfMessage(seq, it.value()) : entryOf(seq, it.value()))) {
                    return;
                }
            }
        }
    }

    private static void step(RocksIterator it, boolean backwards) {
        if (backwards) {
            it.prev();
        } else {
            it.next();
        }
    }

    @Override
    public Optional<ArchivedMessage> find(String owner, String id) {
        Long seq = seqOf(owner, id);
        return seq == null ? Optional.empty() : message(owner, seq);
    }

    @Override
    public Optional<ArchivedMessage> findByClientId(String owner, String withBare, String clientId) {
        try {
            byte[] seq = get(clientIds, clientKey(conversation(owner, withBare), clientId));
            return seq == null ? Optional.empty() : message(owner, ByteBuffer.wrap(seq).getLong())
                    .filter(m -> clientId.equals(m.clientId()) && m.withBare().equals(withBare));
        } catch (RocksDBException e) {
            throw failure("read", owner, e);
        }
    }

    @Override
    public synchronized boolean retract(String owner, String id, XmlElement tombstone) {
        Long seq = seqOf(owner, id);
        Optional<ArchivedMessage> original = seq == null ? Optional.empty() : message(owner, seq);
        if (original.isEmpty()) {
            return false;
        }
        ArchivedMessage m = original.get();
        try {
            write(batch -> batch.put(messages, seqKey(owner(owner), seq), encode(new ArchivedMessage(m.owner(),
                    m.id(), m.stamp(), m.direction(), m.with(), m.clientId(), tombstone, true))));
            return true;
        } catch (RocksDBException e) {
            throw failure("retract in", owner, e);
        }
    }

    @Override
    public Optional<Bounds> bounds(String owner) {
        byte[] prefix = owner(owner);
        List<Long> ends = new ArrayList<>(2);
        walk(messages, prefix, 0, Long.MAX_VALUE, false, e -> !ends.add(e.seq()));
        walk(messages, prefix, 0, Long.MAX_VALUE, true, e -> !ends.add(e.seq()));
        if (ends.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Bounds(message(owner, ends.get(0)).orElseThrow(),
                message(owner, ends.get(1)).orElseThrow()));
    }

    @Override
    public synchronized int removeOwner(String owner) {
        byte[] prefix = owner(owner);
        int[] removed = {0};
        walk(messages, prefix, 0, Long.MAX_VALUE, false, e -> ++removed[0] > 0);
        byte[] end = prefix.clone();
        end[end.length - 1] = 1; // every key of the owner lies in [owner 0, owner 1)
        try {
            for (ColumnFamilyHandle family : List.of(messages, conversations, ids, clientIds)) {
                db.deleteRange(family, writeOptions, prefix, end);
            }
            db.delete(preferences, writeOptions, utf8(owner));
            db.delete(counts, writeOptions, utf8(owner));
        } catch (RocksDBException e) {
            throw failure("remove", owner, e);
        }
        return removed[0];
    }

    /** Retention by age: a walk of every message, which reads only the start of each value. */
    @Override
    public synchronized int removeBefore(Instant cutoff) {
        List<ArchivedMessage> old = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        int removed = 0;
        try (RocksIterator it = db.newIterator(messages)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                if (!stampOf(value).isBefore(cutoff)) {
                    continue;
                }
                byte[] key = it.key();
                String owner = new String(key, 0, key.length - Long.BYTES - 1, StandardCharsets.UTF_8);
                old.add(decode(owner, value));
                seqs.add(ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong());
                if (old.size() == DELETE_BATCH) {
                    removed += delete(old, seqs);
                    old.clear();
                    seqs.clear();
                }
            }
        }
        return removed + delete(old, seqs);
    }

    @Override
    public synchronized int trim(String owner, int keep) {
        List<Long> seqs = new ArrayList<>();
        walk(messages, owner(owner), 0, Long.MAX_VALUE, false, e -> seqs.add(e.seq()));
        List<Long> oldSeqs = seqs.subList(0, Math.max(0, seqs.size() - keep));
        List<ArchivedMessage> old = new ArrayList<>();
        oldSeqs.forEach(seq -> old.add(message(owner, seq).orElseThrow()));
        return delete(old, oldSeqs);
    }

    /** Removes messages (with the keys that lead to them) in one write. */
    private int delete(List<ArchivedMessage> old, List<Long> seqs) {
        if (old.isEmpty()) {
            return 0;
        }
        try {
            write(batch -> deleteAll(batch, old, seqs));
            return old.size();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot remove archived messages: " + e.getMessage(), e);
        }
    }

    private void deleteAll(WriteBatch batch, List<ArchivedMessage> old, List<Long> seqs)
            throws RocksDBException {
        Map<String, Integer> perOwner = new HashMap<>();
        old.forEach(m -> perOwner.merge(m.owner(), 1, Integer::sum));
        for (Map.Entry<String, Integer> owner : perOwner.entrySet()) {
            batch.merge(counts, utf8(owner.getKey()), difference(-owner.getValue()));
        }
        for (int i = 0; i < old.size(); i++) {
            ArchivedMessage m = old.get(i);
            long seq = seqs.get(i);
            batch.delete(messages, seqKey(owner(m.owner()), seq));
            batch.delete(conversations, seqKey(conversation(m.owner(), m.withBare()), seq));
            batch.delete(ids, concat(owner(m.owner()), utf8(m.id())));
            if (m.clientId() != null) {
                byte[] clientKey = clientKey(conversation(m.owner(), m.withBare()), m.clientId());
                byte[] newest = get(clientIds, clientKey);
                if (newest != null && ByteBuffer.wrap(newest).getLong() == seq) {
                    batch.delete(clientIds, clientKey);
                }
            }
        }
    }

    @Override
    public List<String> owners(String after, int limit) {
        TreeSet<String> owners = new TreeSet<>();
        try (RocksIterator it = db.newIterator(messages)) {
            // "owner 1" sorts after every key of the owner and before the next owner's.
            it.seek(after == null ? new byte[0] : concat(utf8(after), new byte[] {1}));
            while (it.isValid() && owners.size() < limit) {
                byte[] key = it.key();
                byte[] owner = Arrays.copyOf(key, key.length - Long.BYTES - 1);
                owners.add(new String(owner, StandardCharsets.UTF_8));
                it.seek(concat(owner, new byte[] {1}));
            }
        }
        try (RocksIterator it = db.newIterator(preferences)) {
            it.seek(after == null ? new byte[0] : concat(utf8(after), new byte[] {0}));
            for (int n = 0; it.isValid() && n < limit; it.next(), n++) {
                owners.add(new String(it.key(), StandardCharsets.UTF_8));
            }
        }
        return owners.stream().limit(limit).toList();
    }

    @Override
    public ArchivePreferences preferences(String owner) {
        try {
            // Preferences are never written within a batch, so this read need not write the batch first.
            byte[] value = db.get(preferences, utf8(owner));
            return value == null ? ArchivePreferences.DEFAULT : decodePreferences(value);
        } catch (RocksDBException e) {
            throw failure("read the preferences of", owner, e);
        }
    }

    @Override
    public void savePreferences(String owner, ArchivePreferences prefs) {
        try {
            db.put(preferences, writeOptions, utf8(owner), encodePreferences(prefs));
        } catch (RocksDBException e) {
            throw failure("save the preferences of", owner, e);
        }
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
        }
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing native handles: nothing to do about a failure
            }
        }
        resources.clear();
    }

    private Optional<ArchivedMessage> message(String owner, long seq) {
        try {
            byte[] value = get(messages, seqKey(owner(owner), seq));
            return value == null ? Optional.empty() : Optional.of(decode(owner, value));
        } catch (RocksDBException e) {
            throw failure("read", owner, e);
        }
    }

    private long count(String owner) {
        try {
            byte[] value = get(counts, utf8(owner));
            return value == null ? 0 : ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (RocksDBException e) {
            throw failure("count", owner, e);
        }
    }

    /** A difference for {@code uint64add}: 8 bytes, little-endian. */
    private static byte[] difference(long delta) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(delta).array();
    }

    private Long seqOf(String owner, String id) {
        try {
            byte[] seq = get(ids, concat(owner(owner), utf8(id)));
            return seq == null ? null : ByteBuffer.wrap(seq).getLong();
        } catch (RocksDBException e) {
            throw failure("read", owner, e);
        }
    }

    private long knownSeq(String owner, String id) {
        Long seq = seqOf(owner, id);
        if (seq == null) {
            throw new UnknownArchiveIdException(id);
        }
        return seq;
    }

    private Set<Long> seqsOf(String owner, List<String> wanted) {
        Set<Long> seqs = new HashSet<>();
        for (String id : wanted) {
            Long seq = seqOf(owner, id);
            if (seq != null) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    private static IllegalStateException failure(String what, String owner, RocksDBException e) {
        return new IllegalStateException("cannot " + what + " the archive of " + owner + ": " + e.getMessage(), e);
    }

    // Keys.

    private static byte[] owner(String owner) {
        return concat(utf8(owner), new byte[] {0});
    }

    private static byte[] conversation(String owner, String withBare) {
        return concat(owner(owner), utf8(withBare), new byte[] {0});
    }

    private static byte[] clientKey(byte[] conversation, String clientId) {
        return concat(conversation, utf8(clientId));
    }

    private static byte[] seqKey(byte[] prefix, long seq) {
        return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(seq).array();
    }

    private static byte[] seqBytes(long seq) {
        return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length + Long.BYTES && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    // Values: the stamp first, so walks and retention read it without decoding the rest.

    private static byte[] entry(Instant stamp, String with) {
        byte[] full = utf8(with);
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES + full.length).putLong(stamp.getEpochSecond())
                .putInt(stamp.getNano()).put(full).array();
    }

    private static Entry entryOf(long seq, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        Instant stamp = Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
        return new Entry(seq, stamp, new String(value, buffer.position(), buffer.remaining(), StandardCharsets.UTF_8));
    }

    /** The {@link Entry} of a message value: its stamp and, behind format, direction and id, the other party. */
    private static Entry entryOfMessage(long seq, byte[] value) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            Instant stamp = Instant.ofEpochSecond(in.readLong(), in.readInt());
            in.readByte();
            in.readByte();
            readString(in);
            return new Entry(seq, stamp, readString(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant stampOf(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
    }

    /** Sized before it is written: no stream buffer that grows and is copied again at the end, for every message. */
    private static byte[] encode(ArchivedMessage m) {
        byte[][] strings = {utf8OrNull(m.id()), utf8OrNull(m.with()), utf8OrNull(m.clientId()), utf8(m.message().toXml())};
        int length = Long.BYTES + Integer.BYTES + 2;
        for (byte[] string : strings) {
            length += Integer.BYTES + (string == null ? 0 : string.length);
        }
        ByteBuffer out = ByteBuffer.allocate(length).putLong(m.stamp().getEpochSecond()).putInt(m.stamp().getNano())
                .put((byte) FORMAT).put((byte) ((m.direction() == Direction.INCOMING ? 0 : 1) | (m.retracted() ? 2 : 0)));
        for (byte[] string : strings) {
            if (string == null) {
                out.putInt(-1); // as writeString writes null
            } else {
                out.putInt(string.length).put(string);
            }
        }
        return out.array();
    }

    private static byte[] utf8OrNull(String s) {
        return s == null ? null : utf8(s);
    }

    private static ArchivedMessage decode(String owner, byte[] value) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            Instant stamp = Instant.ofEpochSecond(in.readLong(), in.readInt());
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("archived message of unknown format " + format);
            }
            int flags = in.readByte();
            String id = readString(in);
            String with = readString(in);
            String clientId = readString(in);
            XmlElement message = XmlFragment.parse(readString(in));
            return new ArchivedMessage(owner, id, stamp, (flags & 1) == 0 ? Direction.INCOMING : Direction.OUTGOING,
                    with, clientId, message, (flags & 2) != 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encodePreferences(ArchivePreferences prefs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(prefs.defaultPolicy().ordinal());
            for (Set<String> jids : List.of(prefs.always(), prefs.never())) {
                out.writeInt(jids.size());
                for (String jid : new TreeSet<>(jids)) {
                    writeString(out, jid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static ArchivePreferences decodePreferences(byte[] value) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            ArchivePreferences.Default policy = ArchivePreferences.Default.values()[in.readByte()];
            List<Set<String>> lists = new ArrayList<>(2);
            for (int list = 0; list < 2; list++) {
                Set<String> jids = new HashSet<>();
                for (int n = in.readInt(); n > 0; n--) {
                    jids.add(readString(in));
                }
                lists.add(jids);
            }
            return new ArchivePreferences(policy, lists.get(0), lists.get(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length-prefixed UTF-8 (-1 for null): unlike {@link DataOutputStream#writeUTF}, not limited to 64 KB. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = utf8(s);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
