package io.aviary.xep0313;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** {@link ArchiveStore} in memory: the reference for the contract test, and the store of unit tests. */
public final class InMemoryArchiveStore implements ArchiveStore {

    private final Map<String, List<ArchivedMessage>> archives = new TreeMap<>();
    private final Map<String, ArchivePreferences> preferences = new TreeMap<>();

    @Override
    public synchronized boolean append(ArchivedMessage message) {
        List<ArchivedMessage> archive = archives.computeIfAbsent(message.owner(), o -> new ArrayList<>());
        if (indexOf(archive, message.id()) >= 0) {
            return false;
        }
        archive.add(message);
        return true;
    }

    @Override
    public synchronized Page query(String owner, ArchiveQuery query, PageRequest page) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, List.of());
        int from = query.afterId() == null ? 0 : known(archive, query.afterId()) + 1;
        int to = query.beforeId() == null ? archive.size() : known(archive, query.beforeId());
        List<ArchivedMessage> matching = new ArrayList<>();
        Predicate<ArchivedMessage> filter = matches(query);
        for (int i = from; i < to; i++) {
            if (filter.test(archive.get(i))) {
                matching.add(archive.get(i));
            }
        }
        // An RSM anchor must be in the archive; it need not match the filter, its place does.
        int lo = 0;
        int hi = matching.size();
        if (page.after() != null) {
            int anchor = known(archive, page.after());
            lo = (int) matching.stream().filter(m -> indexOf(archive, m.id()) <= anchor).count();
        }
        if (page.before() != null) {
            int anchor = known(archive, page.before());
            hi = (int) matching.stream().filter(m -> indexOf(archive, m.id()) < anchor).count();
        }
        List<ArchivedMessage> items;
        boolean complete;
        if (page.backwards()) {
            int start = Math.max(lo, hi - page.max());
            items = matching.subList(start, hi);
            complete = start == 0;
        } else {
            int end = Math.min(hi, lo + page.max());
            items = matching.subList(lo, end);
            complete = end == matching.size();
        }
        return new Page(items, complete, matching.size());
    }

    private static Predicate<ArchivedMessage> matches(ArchiveQuery query) {
        return m -> (query.with() == null || (query.with().indexOf('/') < 0
                        ? m.withBare().equals(query.with()) : m.with().equals(query.with())))
                && (query.start() == null || !m.stamp().isBefore(query.start()))
                && (query.end() == null || !m.stamp().isAfter(query.end()))
                && (query.ids().isEmpty() || query.ids().contains(m.id()));
    }

    @Override
    public synchronized Optional<ArchivedMessage> find(String owner, String id) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, List.of());
        int index = indexOf(archive, id);
        return index < 0 ? Optional.empty() : Optional.of(archive.get(index));
    }

    @Override
    public synchronized Optional<ArchivedMessage> findByClientId(String owner, String withBare, String clientId) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, List.of());
        for (int i = archive.size() - 1; i >= 0; i--) {
            ArchivedMessage m = archive.get(i);
            if (clientId.equals(m.clientId()) && m.withBare().equals(withBare)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized boolean retract(String owner, String id, XmlElement tombstone) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, List.of());
        int index = indexOf(archive, id);
        if (index < 0) {
            return false;
        }
        ArchivedMessage m = archive.get(index);
        archive.set(index, new ArchivedMessage(m.owner(), m.id(), m.stamp(), m.direction(), m.with(), m.clientId(),
                tombstone, true));
        return true;
    }

    @Override
    public synchronized Optional<Bounds> bounds(String owner) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, List.of());
        return archive.isEmpty() ? Optional.empty()
                : Optional.of(new Bounds(archive.get(0), archive.get(archive.size() - 1)));
    }

    @Override
    public synchronized int removeOwner(String owner) {
        preferences.remove(owner);
        List<ArchivedMessage> removed = archives.remove(owner);
        return removed == null ? 0 : removed.size();
    }

    @Override
    public synchronized int removeBefore(Instant cutoff) {
        int removed = 0;
        for (List<ArchivedMessage> archive : archives.values()) {
            int before = archive.size();
            archive.removeIf(m -> m.stamp().isBefore(cutoff));
            removed += before - archive.size();
        }
        archives.values().removeIf(List::isEmpty); // an emptied archive is no archive (owners())
        return removed;
    }

    @Override
    public synchronized int trim(String owner, int keep) {
        List<ArchivedMessage> archive = archives.getOrDefault(owner, new ArrayList<>());
        int excess = Math.max(0, archive.size() - keep);
        archive.subList(0, excess).clear();
        if (archive.isEmpty()) {
            archives.remove(owner); // an emptied archive is no archive (owners())
        }
        return excess;
    }

    @Override
    public synchronized List<String> owners(String after, int limit) {
        TreeSet<String> all = new TreeSet<>(archives.keySet());
        all.addAll(preferences.keySet());
        return (after == null ? all : all.tailSet(after, false)).stream().limit(limit).toList();
    }

    @Override
    public synchronized ArchivePreferences preferences(String owner) {
        return preferences.getOrDefault(owner, ArchivePreferences.DEFAULT);
    }

    @Override
    public synchronized void savePreferences(String owner, ArchivePreferences prefs) {
        preferences.put(owner, prefs);
    }

    private static int known(List<ArchivedMessage> archive, String id) {
        int index = indexOf(archive, id);
        if (index < 0) {
            throw new UnknownArchiveIdException(id);
        }
        return index;
    }

    private static int indexOf(List<ArchivedMessage> archive, String id) {
        for (int i = 0; i < archive.size(); i++) {
            if (archive.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
