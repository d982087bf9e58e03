package io.aviary.standalone;

import io.aviary.bus.InProcessBus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Lets the in-process bus handle what the stop published before the stores close. The gateway ends every stream when
 * it stops, which publishes each session's unavailable presence and its end; those handlers read the rosters and write
 * last activity. The stores close in the destroy phase, which comes after every lifecycle has stopped, so this one,
 * the last to stop, waits there for the bus ({@code aviary.bus.stop-drain}). Without it the database could close under
 * the lanes: thousands of failed presence broadcasts at the stop of a busy server.
 */
final class BusDrainOnStop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BusDrainOnStop.class);

    private final InProcessBus bus;
    private final Duration max;
    private volatile boolean running;

    BusDrainOnStop(InProcessBus bus, Duration max) {
        this.bus = bus;
        this.max = max;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!bus.awaitIdle(max)) {
            log.warn("the bus still held {} messages {} s after the stop began; the stores close under them",
                    bus.backlog(), max.toMillis() / 1000.0);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The last lifecycle to stop: after the gateway and every other tier that publishes while stopping. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}
