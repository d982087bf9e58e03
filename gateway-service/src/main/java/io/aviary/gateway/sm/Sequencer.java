package io.aviary.gateway.sm;

import io.aviary.session.resumption.QueuedStanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Hands a resumable stream's stanzas downstream in position order (sm-design.md, step 2): the client's {@code h}
 * counts queue entries, so a stanza must not overtake one queued before it. Deliveries reach the gateway over the bus
 * in order per account, but the gateway's own answers and the catch-up fetches after a resumption interleave with
 * them; one that arrives ahead of a gap waits, and a gap not filled within {@link #GAP_WAIT_MILLIS} is fetched from
 * the store, which is authoritative: what it no longer holds was acknowledged or discarded and is skipped. Positions
 * at or below the last one handed on are duplicates and dropped. Position 0 (no resumption) passes straight through.
 * Used on the connection's thread only.
 */
final class Sequencer {

    static final long GAP_WAIT_MILLIS = 500;

    /** Asks for the stanzas queued after a position, off the connection's thread; the answer comes to {@link #fill}. */
    interface GapFetch {
        void fetchAfter(long position);
    }

    private final Downstream downstream;
    private final GapFetch gapFetch;
    private final NavigableMap<Long, XmlElement> waiting = new TreeMap<>();
    private long last;
    private boolean fetching;

    Sequencer(Downstream downstream, GapFetch gapFetch) {
        this.downstream = downstream;
        this.gapFetch = gapFetch;
    }

    /** Starts (or restarts, on resumption) the order after {@code position}, the last one the client has. */
    void startAfter(long position) {
        last = position;
        waiting.clear();
    }

    /** The last position handed downstream. */
    long last() {
        return last;
    }

    void offer(long position, XmlElement stanza) {
        if (position <= 0) {
            downstream.accept(0, stanza);
            return;
        }
        if (position <= last || waiting.containsKey(position)) {
            return;
        }
        waiting.put(position, stanza);
        drain();
        if (!waiting.isEmpty() && !fetching) {
            fetching = true;
            gapFetch.fetchAfter(last);
        }
    }

    /** The store's answer to a gap fetch after {@code after}: what it still holds after that position. */
    void fill(long after, List<QueuedStanza> queued) {
        fetching = false;
        for (QueuedStanza q : queued) {
            if (q.position() > last) {
                waiting.putIfAbsent(q.position(), q.stanza());
            }
        }
        if (after == last && !waiting.isEmpty() && waiting.firstKey() > last + 1
                && queued.stream().noneMatch(q -> q.position() == last + 1)) {
            // The store no longer has the next position: it was acknowledged or discarded, never to be written.
            last = waiting.firstKey() - 1;
        }
        drain();
        if (!waiting.isEmpty()) {
            fetching = true;
            gapFetch.fetchAfter(last);
        }
    }

    private void drain() {
        Map.Entry<Long, XmlElement> next;
        while ((next = waiting.firstEntry()) != null && next.getKey() == last + 1) {
            waiting.pollFirstEntry();
            last = next.getKey();
            downstream.accept(next.getKey(), next.getValue());
        }
    }
}
