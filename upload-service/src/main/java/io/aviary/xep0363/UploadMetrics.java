package io.aviary.xep0363;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The upload service's meters: {@code aviary.upload.slots} by {@code result} (granted, or the reason of a refusal),
 * {@code aviary.upload.stored.bytes} and {@code aviary.upload.puts} by HTTP {@code status}.
 */
public final class UploadMetrics {

    private final MeterRegistry registry;
    private final Counter granted;
    private final Counter storedBytes;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.granted = registry.counter("aviary.upload.slots", "result", "granted");
        this.storedBytes = registry.counter("aviary.upload.stored.bytes");
    }

    void granted() {
        granted.increment();
    }

    void refused(String reason) {
        registry.counter("aviary.upload.slots", "result", reason).increment();
    }

    void stored(long bytes) {
        storedBytes.increment(bytes);
    }

    void put(int status) {
        registry.counter("aviary.upload.puts", "status", Integer.toString(status)).increment();
    }
}
