package io.aviary.xep0045;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The group chat service's meters: {@code aviary.muc.entries} by {@code result} ({@code entered}, {@code created},
 * or the error condition of a refusal), {@code aviary.muc.messages} (groupchat messages accepted) and
 * {@code aviary.muc.fanout} (the copies the rooms sent of them).
 */
public final class MucMetrics {

    private final MeterRegistry registry;
    private final Counter messages;
    private final Counter fanout;

    public MucMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.messages = registry.counter("aviary.muc.messages");
        this.fanout = registry.counter("aviary.muc.fanout");
    }

    void entry(String result) {
        registry.counter("aviary.muc.entries", "result", result).increment();
    }

    void message(int copies) {
        messages.increment();
        fanout.increment(copies);
    }
}
