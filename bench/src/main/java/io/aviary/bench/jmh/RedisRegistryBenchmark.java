package io.aviary.bench.jmh;

import io.aviary.session.SessionRegistry;
import io.aviary.session.redis.RedisSessionRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Session lookups in the cluster registry ({@link RedisSessionRegistry}) against a real
 * redis-server on loopback, started here; one network round trip per lookup. {@link BenchmarkMain}
 * leaves this benchmark out, with a message, when redis-server is not installed.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisRegistryBenchmark extends RegistryLookups {

    private RedisServerProcess server;
    private LettuceConnectionFactory connections;

    @Override
    protected SessionRegistry open() throws Exception {
        server = RedisServerProcess.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", server.port()));
        connections.afterPropertiesSet();
        connections.start();
        return new RedisSessionRegistry(new StringRedisTemplate(connections), Duration.ofHours(1));
    }

    @TearDown
    public void tearDown() throws Exception {
        connections.destroy();
        server.close();
    }
}
