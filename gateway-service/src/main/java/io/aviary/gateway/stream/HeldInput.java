package io.aviary.gateway.stream;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

/**
 * A stream's input that arrives while one of its blocking steps runs on the {@link StreamWorkers}: the stream
 * handles nothing else until that step is done (RFC 6120 §10.1: a stream's stanzas are processed in order).
 * What the parser had already read when the step began is held as parsed events; bytes that arrive later are
 * held unparsed, at most {@code maxBytes} of them (a client waiting for an answer has little to say meanwhile).
 */
final class HeldInput {

    private final int maxBytes;
    private final ArrayDeque<Runnable> events = new ArrayDeque<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    HeldInput(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    void hold(Runnable event) {
        events.addLast(event);
    }

    /** Holds bytes; false, holding nothing, when that would pass the limit. */
    boolean hold(byte[] input, int offset, int length) {
        if (bytes.size() + length > maxBytes) {
            return false;
        }
        bytes.write(input, offset, length);
        return true;
    }

    /** The next held event, or null. */
    Runnable nextEvent() {
        return events.pollFirst();
    }

    /** The held bytes, which are then no longer held. */
    byte[] takeBytes() {
        byte[] taken = bytes.toByteArray();
        bytes.reset();
        return taken;
    }

    /** Events read from a stream that was then restarted (RFC 6120 §6.4.6) belong to no stream. */
    void dropEvents() {
        events.clear();
    }
}
