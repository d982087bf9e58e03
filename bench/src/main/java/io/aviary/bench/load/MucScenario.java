package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code muc}: U sessions online enter R group chat rooms of N occupants each (XEP-0045; room r's occupants are the
 * sessions r·N, r·N+1, ... modulo U, so a session is in R·N/U rooms), then group chat messages go out at each rate of
 * {@code --rates} (each from a random occupant of a random room) and every occupant's copy is timed.
 *
 * <p>Entering: each room's first occupant creates it and accepts the instant room (XEP-0045 §10.1.2); the others
 * then enter at {@code --join-rate}, asking for no history. Reported: rooms created per second, entries confirmed per
 * second (the entrant's own presence, status 110, back) with their latency, and with {@code --server-pid} the
 * server's live heap per room and per occupant (after a full GC before and after entering).
 */
final class MucScenario {

    private static final String MUC = "http://jabber.org/protocol/muc";
    private static final String MUC_USER = MUC + "#user";
    private static final String UNLOCK = "unlock:";

    private MucScenario() {
    }

    /** What the scenario is given. */
    record Plan(int users, double ramp, String service, int rooms, int roomSize, double joinRate, List<Integer> rates,
                Duration step, Duration grace, String serverPid) {
    }

    static Report run(ClientEngine engine, Plan plan, PrintStream out) throws InterruptedException, IOException {
        Entries entries = new Entries();
        AtomicReference<ChatLedger> current = new AtomicReference<>(new ChatLedger(-1, 0));
        LoginDriver driver = new LoginDriver(engine, true, new XmppConnection.Listener() {
            @Override
            public void presence(XmppConnection connection, XmlElement presence) {
                entries.presence(connection, presence);
            }

            @Override
            public void answered(XmppConnection connection, XmlElement iq) {
                entries.answered(iq);
            }

            @Override
            public void message(XmppConnection connection, XmlElement message) {
                if ("groupchat".equals(message.attributeOrNull("type"))) {
                    message.childText("body", "jabber:client")
                            .ifPresent(body -> current.get().received(body, System.nanoTime()));
                } else if ("error".equals(message.attributeOrNull("type"))) {
                    current.get().error();
                }
            }
        });
        out.printf("bringing %d sessions online at %.0f/s%n", plan.users(), plan.ramp());
        LoginDriver.LoginOutcome logins = driver.run(plan.users(), plan.ramp(), i -> i + 1);
        List<XmppConnection> online = driver.online();
        if (online.size() < plan.roomSize()) {
            throw new IllegalStateException("only " + online.size() + " sessions came online, rooms need "
                    + plan.roomSize() + ": " + logins.failureReasons());
        }
        Rooms rooms = new Rooms(plan, online);
        long heapBefore = liveHeap(plan.serverPid());

        out.printf("creating %d rooms at %.0f/s%n", plan.rooms(), plan.joinRate());
        long createStart = System.nanoTime();
        pace(plan.joinRate(), plan.rooms(), r -> entries.enter(rooms.occupant(r, 0), rooms.jid(r)));
        boolean created = entries.awaitUnlocked(plan.rooms(), engine.settings().timeout());
        double createdPerSecond = entries.unlocked() * 1e9 / (System.nanoTime() - createStart);
        out.printf("%d rooms created and unlocked (%.0f/s)%s%n", entries.unlocked(), createdPerSecond,
                created ? "" : ", the others not in time");

        int joins = plan.rooms() * (plan.roomSize() - 1);
        out.printf("entering: %d more occupants at %.0f/s%n", joins, plan.joinRate());
        entries.resetLatency();
        long joinStart = System.nanoTime();
        pace(plan.joinRate(), joins, j -> {
            int room = j / (plan.roomSize() - 1);
            entries.enter(rooms.occupant(room, 1 + j % (plan.roomSize() - 1)), rooms.jid(room));
        });
        entries.awaitEntered(plan.rooms() + joins, engine.settings().timeout());
        long joinNanos = System.nanoTime() - joinStart;
        long entered = entries.entered() - plan.rooms();
        Percentiles joinLatency = entries.latency();
        long heapAfter = liveHeap(plan.serverPid());

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("rooms × occupants", plan.rooms() + " × " + plan.roomSize());
        figures.put("rooms created/s", Report.fixed(createdPerSecond));
        figures.put("entries confirmed", entered + " of " + joins);
        figures.put("entries refused", entries.refused().toString());
        figures.put("entries/s", Report.fixed(entered * 1e9 / joinNanos));
        figures.put("entry p50 / p99 ms", Report.fixed2(joinLatency.p50Ms()) + " / " + Report.fixed2(joinLatency.p99Ms()));
        if (heapBefore >= 0 && heapAfter >= 0) {
            figures.put("server live heap growth (MiB)", Report.fixed((heapAfter - heapBefore) / 1048576.0));
            figures.put("server heap bytes/room", Long.toString((heapAfter - heapBefore) / plan.rooms()));
            figures.put("server heap bytes/occupant",
                    Long.toString((heapAfter - heapBefore) / ((long) plan.rooms() * plan.roomSize())));
        }
        figures.forEach((k, v) -> out.printf("  %-32s %s%n", k, v));

        SplittableRandom random = new SplittableRandom(42);
        List<ChatLedger.StepResult> results = new ArrayList<>();
        for (int i = 0; i < plan.rates().size(); i++) {
            ChatLedger.StepResult result = PacedStep.run(current, i + 1, plan.rates().get(i), plan.step(), plan.grace(),
                    plan.roomSize(), (ledger, seq) -> {
                        int room = random.nextInt(plan.rooms());
                        rooms.occupant(room, random.nextInt(plan.roomSize())).send("<message to='" + rooms.jid(room)
                                + "' type='groupchat' id='g" + seq + "'><body>" + ledger.body(seq, System.nanoTime())
                                + "</body></message>");
                    });
            results.add(result);
            out.printf("step %d: %d/s sent %d delivered to all %d lost %d p99 %.2f ms%n", i + 1, result.targetRate(),
                    result.sent(), result.delivered(), result.lost(), result.latency().p99Ms());
        }
        current.set(new ChatLedger(-1, 0));
        out.println("each message counts as delivered when every occupant (the sender too) has its copy; latencies "
                + "are of every copy:");
        PacedStep.table(out, results);
        out.printf("sessions dropped during the run: %d%s%n", driver.dropped(),
                driver.dropped() == 0 ? "" : " " + driver.dropReasons());
        online.forEach(XmppConnection::close);
        return new Report("muc").put("users", plan.users()).put("online", online.size()).put("rooms", plan.rooms())
                .put("roomSize", plan.roomSize()).put("logins", logins).put("entry", figures).put("steps", results)
                .put("dropped", driver.dropped()).put("dropReasons", driver.dropReasons());
    }

    /** Runs {@code action} {@code count} times at {@code perSecond}, from the calling thread. */
    private static void pace(double perSecond, int count, java.util.function.IntConsumer action)
            throws InterruptedException {
        Pacer pacer = new Pacer(perSecond, System.nanoTime(), count);
        int done = 0;
        while (!pacer.finished()) {
            for (long due = pacer.due(System.nanoTime()); due > 0 && done < count; due--) {
                action.accept(done++);
            }
            TimeUnit.MICROSECONDS.sleep(200);
        }
    }

    private static long liveHeap(String serverPid) {
        if (serverPid == null || !ProcessMemory.gc(serverPid)) {
            return -1;
        }
        return ProcessMemory.heapUsedBytes(serverPid);
    }

    /** Which sessions are in which room. */
    private record Rooms(Plan plan, List<XmppConnection> online) {

        String jid(int room) {
            return "bench-room-" + room + "@" + plan.service();
        }

        XmppConnection occupant(int room, int seat) {
            return online.get((int) (((long) room * plan.roomSize() + seat) % online.size()));
        }
    }

    /** The books of entering: send times by {@code room/nick}, confirmations, refusals, unlocked rooms. */
    private static final class Entries {

        private final Map<String, Long> sent = new ConcurrentHashMap<>();
        private final LongAdder entered = new LongAdder();
        private final LongAdder unlocked = new LongAdder();
        private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
        private volatile Recorder latencyMicros = new Recorder(3);

        static String nick(XmppConnection connection) {
            return "u" + connection.user();
        }

        void enter(XmppConnection occupant, String room) {
            String occupantJid = room + "/" + nick(occupant);
            sent.put(occupantJid, System.nanoTime());
            occupant.send("<presence to='" + occupantJid + "'><x xmlns='" + MUC + "'><history maxstanzas='0'/></x>"
                    + "</presence>");
        }

        /** Counts the entrant's own presence (status 110); a new room's creator accepts the instant room. */
        void presence(XmppConnection connection, XmlElement presence) {
            String from = presence.attributeOrNull("from");
            if (from == null || !from.endsWith("/" + nick(connection))) {
                return;
            }
            if ("error".equals(presence.attributeOrNull("type"))) {
                String condition = presence.child("error", "jabber:client").flatMap(XmlElement::firstChild)
                        .map(XmlElement::name).orElse("?");
                refused.computeIfAbsent(condition, c -> new LongAdder()).increment();
                return;
            }
            XmlElement x = presence.child("x", MUC_USER).orElse(null);
            if (x == null || presence.attributeOrNull("type") != null) {
                return;
            }
            List<String> codes = x.elements().filter(e -> e.name().equals("status"))
                    .map(e -> e.attributeOrNull("code")).toList();
            Long sentAt = codes.contains("110") ? sent.remove(from) : null;
            if (sentAt == null) {
                return;
            }
            latencyMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentAt));
            entered.increment();
            if (codes.contains("201")) {
                String room = from.substring(0, from.indexOf('/'));
                connection.send("<iq type='set' id='" + UNLOCK + room + "' to='" + room + "'><query xmlns='" + MUC
                        + "#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
            }
        }

        void answered(XmlElement iq) {
            String id = iq.attributeOrNull("id");
            if (id != null && id.startsWith(UNLOCK) && "result".equals(iq.attributeOrNull("type"))) {
                unlocked.increment();
            }
        }

        long entered() {
            return entered.sum();
        }

        long unlocked() {
            return unlocked.sum();
        }

        Map<String, Long> refused() {
            Map<String, Long> counts = new LinkedHashMap<>();
            refused.forEach((condition, n) -> counts.put(condition, n.sum()));
            return counts;
        }

        void resetLatency() {
            latencyMicros = new Recorder(3);
        }

        Percentiles latency() {
            return Percentiles.of(latencyMicros.getIntervalHistogram());
        }

        boolean awaitUnlocked(long rooms, Duration timeout) throws InterruptedException {
            return await(() -> unlocked() >= rooms, timeout);
        }

        boolean awaitEntered(long entries, Duration timeout) throws InterruptedException {
            return await(() -> entered() >= entries, timeout);
        }

        /** Waits until {@code done}, or until nothing has moved for {@code timeout}. */
        private boolean await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
            long lastProgress = System.nanoTime();
            long lastCount = entered() + unlocked();
            while (!done.getAsBoolean()) {
                long count = entered() + unlocked();
                if (count != lastCount) {
                    lastCount = count;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return true;
        }
    }
}
