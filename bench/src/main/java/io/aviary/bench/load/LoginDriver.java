package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Starts logins at a fixed rate from one pacing thread and records what becomes of them: the
 * connect-to-bound latency of each success and the reason of each failure. The idle and chat
 * scenarios keep the sessions; the login scenario closes each as soon as it is bound.
 */
final class LoginDriver {

    private final ClientEngine engine;
    private final boolean keepOnline;
    private final XmppConnection.Listener sessionListener;
    private final Recorder latencyMicros = new Recorder(3);
    /** Connect-to-bound by the second (from the first) in which the login started: how a fresh server warms up. */
    private final TreeMap<Integer, Histogram> bySecond = new TreeMap<>();
    private long startNanos;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropReasons = new ConcurrentHashMap<>();
    private final List<XmppConnection> online = new ArrayList<>();

    /**
     * @param keepOnline      keep bound sessions (idle, chat) or close them at once (login storm)
     * @param sessionListener told of messages and of failures after the session came online
     */
    LoginDriver(ClientEngine engine, boolean keepOnline, XmppConnection.Listener sessionListener) {
        this.engine = engine;
        this.keepOnline = keepOnline;
        this.sessionListener = sessionListener;
    }

    /**
     * Starts {@code count} logins at {@code perSecond}, the i-th (from 0) as account
     * {@code account.apply(i)}, and returns once each has succeeded or failed.
     */
    LoginOutcome run(int count, double perSecond, IntFunction<Integer> account) throws InterruptedException {
        long timeoutNanos = engine.settings().timeout().toNanos();
        long start = System.nanoTime();
        startNanos = start;
        Pacer pacer = new Pacer(perSecond, start, count);
        int started = 0;
        while (!pacer.finished()) {
            for (long due = pacer.due(System.nanoTime()); due > 0; due--, started++) {
                int n = account.apply(started);
                XmppConnection connection = new XmppConnection(engine, n, "bench-" + started, false, listener());
                engine.connect(connection).addListener(f -> connection.failUnlessOnlineWithin(timeoutNanos));
            }
            TimeUnit.MICROSECONDS.sleep(500);
        }
        long startedAllNanos = System.nanoTime() - start;
        long deadline = System.nanoTime() + timeoutNanos + TimeUnit.SECONDS.toNanos(5);
        while (succeeded.sum() + failed.sum() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long doneNanos = System.nanoTime() - start;
        Map<String, Long> reasons = counted(failures);
        long unfinished = count - succeeded.sum() - failed.sum();
        if (unfinished > 0) {
            reasons.put("no answer before the deadline", unfinished);
        }
        return new LoginOutcome(count, succeeded.sum(), failed.sum() + unfinished, startedAllNanos, doneNanos,
                Percentiles.of(latencyMicros.getIntervalHistogram()), latencyBySecond(), reasons);
    }

    private List<Percentiles> latencyBySecond() {
        synchronized (bySecond) {
            int seconds = bySecond.isEmpty() ? 0 : bySecond.lastKey() + 1;
            List<Percentiles> series = new ArrayList<>(seconds);
            for (int second = 0; second < seconds; second++) {
                Histogram histogram = bySecond.get(second);
                series.add(histogram == null ? Percentiles.of(new Histogram(3)) : Percentiles.of(histogram));
            }
            return series;
        }
    }

    /** The sessions that came online and are still kept (keepOnline only). */
    List<XmppConnection> online() {
        synchronized (online) {
            return List.copyOf(online);
        }
    }

    /** Sessions of this driver that broke after coming online. */
    int dropped() {
        return dropped.get();
    }

    /** Why those sessions broke, by reason. */
    Map<String, Long> dropReasons() {
        return counted(dropReasons);
    }

    /** The tally by reason, sorted. */
    private static Map<String, Long> counted(Map<String, LongAdder> tally) {
        Map<String, Long> reasons = new TreeMap<>();
        tally.forEach((reason, n) -> reasons.put(reason, n.sum()));
        return reasons;
    }

    private XmppConnection.Listener listener() {
        return new XmppConnection.Listener() {
            @Override
            public void online(XmppConnection connection) {
                long micros = TimeUnit.NANOSECONDS.toMicros(connection.loginNanos());
                latencyMicros.recordValue(micros);
                int second = (int) ((System.nanoTime() - connection.loginNanos() - startNanos) / 1_000_000_000L);
                synchronized (bySecond) {
                    bySecond.computeIfAbsent(Math.max(0, second), s -> new Histogram(3)).recordValue(micros);
                }
                succeeded.increment();
                if (keepOnline) {
                    synchronized (online) {
                        online.add(connection);
                    }
                } else {
                    connection.close();
                }
            }

            @Override
            public void failed(XmppConnection connection, String reason) {
                if (connection.cameOnline()) {
                    // Failed after coming online: a dropped session, not a failed login.
                    dropped.incrementAndGet();
                    dropReasons.computeIfAbsent(shorten(reason), r -> new LongAdder()).increment();
                    sessionListener.failed(connection, reason);
                    return;
                }
                failed.increment();
                failures.computeIfAbsent(shorten(reason), r -> new LongAdder()).increment();
            }

            @Override
            public void message(XmppConnection connection, io.aviary.xmpp.xml.XmlElement message) {
                sessionListener.message(connection, message);
            }

            @Override
            public void presence(XmppConnection connection, io.aviary.xmpp.xml.XmlElement presence) {
                sessionListener.presence(connection, presence);
            }

            @Override
            public void answered(XmppConnection connection, io.aviary.xmpp.xml.XmlElement iq) {
                sessionListener.answered(connection, iq);
            }
        };
    }

    /** Groups failures by reason without the per-connection details (addresses, ids). */
    private static String shorten(String reason) {
        String r = reason == null ? "unknown" : reason;
        return r.length() > 120 ? r.substring(0, 120) : r;
    }

    /**
     * @param startNanos time it took to start all logins
     * @param doneNanos  time until the last one finished
     * @param latency    connect-to-bound of the successful logins
     * @param bySecond   the same, of the logins started in each second from the first
     */
    record LoginOutcome(int attempted, long succeeded, long failed, long startNanos, long doneNanos,
                        Percentiles latency, List<Percentiles> bySecond, Map<String, Long> failureReasons) {

        /** Logins completed per second over the time they took. */
        double perSecond() {
            return doneNanos == 0 ? 0 : succeeded * 1e9 / doneNanos;
        }
    }
}
