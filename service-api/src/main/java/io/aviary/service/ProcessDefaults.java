package io.aviary.service;

/**
 * JVM-wide settings a server process makes before anything starts, each only where the operator has not set it
 * ({@code -D} on the command line wins).
 */
public final class ProcessDefaults {

    /**
     * Netty's leak detector. At its default level it tracks one buffer in 128, and each tracked buffer records a stack
     * trace when it is made and released, on the event loops (perf at 8,000 messages/s, docs/benchmarks.md "Seventh
     * round"). Tests keep Netty's default, so a leak is still reported in their logs; an operator chasing one sets
     * {@code -Dio.netty.leakDetection.level=simple}.
     */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private ProcessDefaults() {
    }

    /** Call first thing in {@code main}, before any Netty class is loaded. */
    public static void apply() {
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
    }
}
