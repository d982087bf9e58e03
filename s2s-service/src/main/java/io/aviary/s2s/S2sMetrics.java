package io.aviary.s2s;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The federation's meters: {@code xmpp.s2s.streams} (gauge, tag {@code direction} in/out: authenticated streams
 * open), {@code xmpp.s2s.authentications} (counter, {@code direction} and {@code method}: {@code sasl-external} or
 * {@code dialback}), {@code xmpp.s2s.stanzas} (counter, {@code direction}) and {@code xmpp.s2s.failures} (counter, tag
 * {@code reason}: why an outgoing stream or a stanza failed, or an incoming stream was refused).
 */
public final class S2sMetrics {

    private final MeterRegistry meters;
    private final AtomicInteger incoming = new AtomicInteger();
    private final AtomicInteger outgoing = new AtomicInteger();
    private final Counter stanzasIn;
    private final Counter stanzasOut;

    public S2sMetrics(MeterRegistry meters) {
        this.meters = meters;
        meters.gauge("xmpp.s2s.streams", io.micrometer.core.instrument.Tags.of("direction", "in"), incoming);
        meters.gauge("xmpp.s2s.streams", io.micrometer.core.instrument.Tags.of("direction", "out"), outgoing);
        this.stanzasIn = Counter.builder("xmpp.s2s.stanzas").tag("direction", "in")
                .description("stanzas received from remote servers").register(meters);
        this.stanzasOut = Counter.builder("xmpp.s2s.stanzas").tag("direction", "out")
                .description("stanzas sent to remote servers").register(meters);
    }

    /** A stream was authenticated (for incoming ones: its first domain) by {@code method}. */
    void streamOpened(boolean in, String method) {
        (in ? incoming : outgoing).incrementAndGet();
        Counter.builder("xmpp.s2s.authentications").tag("direction", in ? "in" : "out").tag("method", method)
                .description("s2s streams authenticated").register(meters).increment();
    }

    void streamClosed(boolean in) {
        (in ? incoming : outgoing).decrementAndGet();
    }

    void stanzaIn() {
        stanzasIn.increment();
    }

    void stanzaOut() {
        stanzasOut.increment();
    }

    void failure(String reason) {
        Counter.builder("xmpp.s2s.failures").tag("reason", reason)
                .description("outgoing streams or stanzas that failed, incoming streams refused").register(meters)
                .increment();
    }
}
