package io.aviary.bench.jmh;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two lookups routing asks of a registry holding {@code sessions} accounts with one session each; each
 * subclass benchmarks them on one implementation ({@link #open}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
public abstract class RegistryLookups {

    @Param({"10000"})
    int sessions;

    private SessionRegistry registry;
    private EntityBareJid[] bare;
    private EntityFullJid[] full;

    /** The registry to fill and query, empty. */
    protected abstract SessionRegistry open() throws Exception;

    @Setup
    public void fill() throws Exception {
        registry = open();
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
