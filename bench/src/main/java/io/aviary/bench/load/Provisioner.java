package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.ClientSettings;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code provision}: creates accounts {@code <prefix>1..N} with XEP-0077 in-band registration
 * (the server must run with {@code aviary.gateway.registration-open=true}). A few connections each
 * keep a window of registration requests in flight; an account that already exists counts as
 * provisioned, so the command can be re-run.
 */
final class Provisioner {

    private static final String REGISTER = "jabber:iq:register";

    private final ClientEngine engine;
    private final int users;
    private final int window;
    private final AtomicInteger nextUser = new AtomicInteger(1);
    private final LongAdder created = new LongAdder();
    private final LongAdder existed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    Provisioner(ClientEngine engine, int users, int window) {
        this.engine = engine;
        this.users = users;
        this.window = window;
    }

    Report run(int connections, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        AtomicInteger brokenConnections = new AtomicInteger();
        for (int i = 0; i < Math.max(1, connections); i++) {
            engine.connect(new XmppConnection(engine, 0, "provision", true, new XmppConnection.Listener() {
                private int outstanding;

                @Override
                public void readyToRegister(XmppConnection connection) {
                    for (int k = 0; k < window; k++) {
                        sendNext(connection);
                    }
                }

                @Override
                public void registrationAnswered(XmppConnection connection, XmlElement iq) {
                    outstanding--;
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
                    int n = nextUser.getAndIncrement();
                    if (n > users) {
                        if (outstanding == 0) {
                            connection.close();
                        }
                        return;
                    }
                    outstanding++;
                    ClientSettings s = engine.settings();
                    connection.send("<iq type='set' id='reg-" + n + "'><query xmlns='" + REGISTER + "'><username>"
                            + XmlWriter.escape(s.username(n)) + "</username><password>" + XmlWriter.escape(s.password())
                            + "</password></query></iq>");
                }

                @Override
                public void failed(XmppConnection connection, String reason) {
                    brokenConnections.incrementAndGet();
                    out.println("provisioning connection failed: " + reason);
                }
            }));
        }
        long lastProgress = System.nanoTime();
        long lastDone = 0;
        while (done() < users && brokenConnections.get() < connections) {
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

    private long done() {
        return created.sum() + existed.sum() + failed.sum();
    }
}
