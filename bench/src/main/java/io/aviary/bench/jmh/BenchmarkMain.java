package io.aviary.bench.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of benchmarks.jar: JMH's own command line, except that the Redis benchmark is left
 * out, with a message, when no redis-server is installed.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        if (RedisServerProcess.binary().isEmpty()) {
            System.out.println("redis-server is not on the PATH: skipping RedisRegistryBenchmark "
                    + "(Debian: apt-get install redis-server)");
            jmhArgs.add("-e");
            jmhArgs.add(RedisRegistryBenchmark.class.getSimpleName());
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    }
}
