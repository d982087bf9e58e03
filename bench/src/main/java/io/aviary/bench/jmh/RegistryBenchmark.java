package io.aviary.bench.jmh;

import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Session lookups in the in-process registry (standalone app) holding {@code sessions} accounts. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegistryBenchmark {

    @Param({"10000"})
    int sessions;

    private InMemorySessionRegistry registry;
    private EntityBareJid[] bare;
    private EntityFullJid[] full;

    @Setup
    public void setUp() {
        registry = new InMemorySessionRegistry();
        Sessions.fill(registry, sessions);
        bare = new EntityBareJid[sessions];
        full = new EntityFullJid[sessions];
        for (int n = 1; n <= sessions; n++) {
            bare[n - 1] = Sessions.bare(n);
            full[n - 1] = Sessions.full(n);
        }
    }

    /** All sessions of an account: what routing to a bare JID asks. */
    @Benchmark
    public List<SessionEntry> sessionsOfAccount() {
        return registry.sessions(bare[ThreadLocalRandom.current().nextInt(sessions)]);
    }

    /** One session by full JID: what routing to a full JID asks. */
    @Benchmark
    public Optional<SessionEntry> sessionByFullJid() {
        return registry.session(full[ThreadLocalRandom.current().nextInt(sessions)]);
    }
}
