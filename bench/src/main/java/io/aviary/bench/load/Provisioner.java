package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.ClientSettings;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code provision}: creates accounts {@code <prefix>1..N} with XEP-0077 in-band registration
 * (the server must run with {@code aviary.gateway.registration-open=true}). A few connections each
 * keep a window of registration requests in flight, replaced when the server ends them; an account that already
 * exists counts as provisioned, so the command can be re-run.
 */
final class Provisioner {

    private static final String REGISTER = "jabber:iq:register";
    private static final String ID_PREFIX = "reg-";

    private final ClientEngine engine;
    private final int users;
    private final int window;
    private final PrintStream out;
    private final AtomicInteger nextUser = new AtomicInteger(1);
    private final LongAdder created = new LongAdder();
    private final LongAdder existed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** Accounts asked for on a connection that ended before the answer. */
    private final Queue<Integer> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger brokenConnections = new AtomicInteger();

    Provisioner(ClientEngine engine, int users, int window, PrintStream out) {
        this.engine = engine;
        this.users = users;
        this.window = window;
        this.out = out;
    }

    Report run(int connections) throws InterruptedException {
        long start = System.nanoTime();
        int opened = Math.max(1, connections);
        for (int i = 0; i < opened; i++) {
            engine.connect(new XmppConnection(engine, 0, "provision", true, new Registrar()));
        }
        long lastProgress = System.nanoTime();
        long lastDone = 0;
        while (done() < users && brokenConnections.get() < opened) {
            TimeUnit.MILLISECONDS.sleep(100);
            if (done() != lastDone) {
                lastDone = done();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > engine.settings().timeout().toNanos()) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> reasons = new LinkedHashMap<>();
        failures.forEach((k, v) -> reasons.put(k, v.sum()));
        long missing = users - done();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("accounts requested", Integer.toString(users));
        figures.put("created", Long.toString(created.sum()));
        figures.put("already existed", Long.toString(existed.sum()));
        figures.put("failed", Long.toString(failed.sum()));
        figures.put("unanswered", Long.toString(missing));
        figures.put("seconds", Report.fixed(seconds));
        figures.put("registrations/s", Report.fixed(created.sum() / seconds));
        Report.keyValues(out, figures);
        if (!reasons.isEmpty()) {
            out.println("failures: " + reasons);
        }
        return new Report("provision").put("users", users).put("created", created.sum())
                .put("existed", existed.sum()).put("failed", failed.sum()).put("unanswered", missing)
                .put("seconds", seconds).put("failureReasons", reasons);
    }

    /**
     * One connection's registrations: a window of them in flight. The server closes a stream that is not bound within
     * its negotiation timeout (30 s by default) with {@code connection-timeout}, and registration streams never bind,
     * so a connection that registered some accounts before it ended is replaced by a new one, which asks again for
     * what went unanswered; one that ended without an answer counts as broken.
     */
    private final class Registrar implements XmppConnection.Listener {

        private final Set<Integer> inFlight = new HashSet<>(); // on the connection's event loop
        private int answered;

        @Override
        public void readyToRegister(XmppConnection connection) {
            for (int k = 0; k < window; k++) {
                sendNext(connection);
            }
        }

        @Override
        public void registrationAnswered(XmppConnection connection, XmlElement iq) {
            String id = iq.attributeOrNull("id");
            if (id == null || !id.startsWith(ID_PREFIX)
                    || !inFlight.remove(Integer.parseInt(id.substring(ID_PREFIX.length())))) {
                return;
            }
            answered++;
            if ("result".equals(iq.attributeOrNull("type"))) {
                created.increment();
            } else {
                String condition = iq.child("error").flatMap(XmlElement::firstChild).map(XmlElement::name)
                        .orElse("unknown");
                if (condition.equals("conflict")) {
                    existed.increment();
                } else {
                    failed.increment();
                    failures.computeIfAbsent(condition, c -> new LongAdder()).increment();
                }
            }
            sendNext(connection);
        }

        private void sendNext(XmppConnection connection) {
            Integer again = unanswered.poll();
            int n = again != null ? again : nextUser.getAndIncrement();
            if (n > users) {
                if (inFlight.isEmpty()) {
                    connection.close();
                }
                return;
            }
            inFlight.add(n);
            ClientSettings s = engine.settings();
            connection.send("<iq type='set' id='" + ID_PREFIX + n + "'><query xmlns='" + REGISTER + "'><username>"
                    + XmlWriter.escape(s.username(n)) + "</username><password>" + XmlWriter.escape(s.password())
                    + "</password></query></iq>");
        }

        @Override
        public void failed(XmppConnection connection, String reason) {
            unanswered.addAll(inFlight);
            inFlight.clear();
            if (answered > 0) {
                engine.connect(new XmppConnection(engine, 0, "provision", true, new Registrar()));
            } else {
                brokenConnections.incrementAndGet();
                out.println("provisioning connection failed: " + reason);
            }
        }
    }

    private long done() {
        return created.sum() + existed.sum() + failed.sum();
    }
}
