package io.aviary.bench.jmh;

import io.aviary.router.DeliveryRules;
import io.aviary.router.Route;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.impl.JidCreate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The router's decision for a chat message to a bare JID ({@link DeliveryRules#route}) with an
 * in-process registry of {@code sessions} online accounts: address parsing, the registry lookup
 * and the RFC 6121 §8.5 choice of resources.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

    @Param({"10000"})
    int sessions;

    private DeliveryRules rules;
    private Stanza[] messages;

    @Setup
    public void setUp() throws Exception {
        InMemorySessionRegistry registry = new InMemorySessionRegistry();
        Sessions.fill(registry, sessions);
        rules = new DeliveryRules(JidCreate.domainBareFrom(Stanzas.DOMAIN), registry, account -> true);
        messages = new Stanza[1024];
        for (int i = 0; i < messages.length; i++) {
            int to = 1 + (int) ((i * 7919L) % sessions);
            messages[i] = Stanza.of(Stanzas.chat(1, to, i)).orElseThrow();
        }
        List<Route> check = rules.route(messages[0]);
        if (check.size() != 1 || !(check.get(0) instanceof Route.Deliver)) {
            throw new IllegalStateException("the benchmark message should be delivered to one session, got " + check);
        }
    }

    @Benchmark
    public List<Route> chatToBareJid() {
        return rules.route(messages[ThreadLocalRandom.current().nextInt(messages.length)]);
    }
}
