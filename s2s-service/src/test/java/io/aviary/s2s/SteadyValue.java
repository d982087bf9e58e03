package io.aviary.s2s;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** For tests that wait for a count that stops moving once a listener has stopped reading. */
public final class SteadyValue {

    private SteadyValue() {
    }

    /** {@code value} once it is above zero and has not changed for a second (waits at most 10 s). */
    public static long of(LongSupplier value) throws InterruptedException {
        long last = -1;
        int unchanged = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (unchanged < 5 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = value.getAsLong();
            unchanged = now == last && now > 0 ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }
}
