package io.aviary.bench.jmh;

import io.aviary.session.SessionEntry;
import io.aviary.session.redis.RedisSessionRegistry;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Session lookups in the cluster registry ({@link RedisSessionRegistry}) against a real
 * redis-server on loopback, started here; one network round trip per lookup. {@link BenchmarkMain}
 * leaves this benchmark out, with a message, when redis-server is not installed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisRegistryBenchmark {

    @Param({"10000"})
    int sessions;

    private RedisServerProcess server;
    private LettuceConnectionFactory connections;
    private RedisSessionRegistry registry;
    private EntityBareJid[] bare;
    private EntityFullJid[] full;

    @Setup
    public void setUp() throws Exception {
        server = RedisServerProcess.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", server.port()));
        connections.afterPropertiesSet();
        connections.start();
        registry = new RedisSessionRegistry(new StringRedisTemplate(connections), Duration.ofHours(1));
        Sessions.fill(registry, sessions);
        bare = new EntityBareJid[sessions];
        full = new EntityFullJid[sessions];
        for (int n = 1; n <= sessions; n++) {
            bare[n - 1] = Sessions.bare(n);
            full[n - 1] = Sessions.full(n);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        connections.destroy();
        server.close();
    }

    @Benchmark
    public List<SessionEntry> sessionsOfAccount() {
        return registry.sessions(bare[ThreadLocalRandom.current().nextInt(sessions)]);
    }

    @Benchmark
    public Optional<SessionEntry> sessionByFullJid() {
        return registry.session(full[ThreadLocalRandom.current().nextInt(sessions)]);
    }
}
