package io.aviary.session.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A real {@code redis-server} from the PATH on a free loopback port, shared by the tests of this module
 * and stopped when the JVM exits. Tests that need it are skipped when the binary is not installed.
 * Public for the other modules' tests (test-jar): the presence store and the cluster tests.
 */
public final class RedisProcess {

    private static Process process;
    private static int port;
    private static Path binary;
    private static Path dir;
    private static StringRedisTemplate template;

    private RedisProcess() {
    }

    /** A template on a running, emptied Redis; skips the calling test when there is no redis-server. */
    public static synchronized StringRedisTemplate flushed() {
        if (template == null) {
            binary = findOnPath("redis-server");
            assumeTrue(binary != null, "redis-server is not on the PATH (Debian: apt-get install redis-server); "
                    + "the Redis registry tests need a real server and are skipped");
            try {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                dir = Files.createTempDirectory("aviary-redis");
                start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start redis-server", e);
            }
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
            factory.afterPropertiesSet();
            factory.start();
            template = new StringRedisTemplate(factory);
        }
        template.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().flushAll();
            return null;
        });
        return template;
    }

    public static int port() {
        return port;
    }

    /** The Lettuce URI of the running server. */
    public static String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Kills the server ({@code SIGKILL}: no save, no goodbye to clients) and starts an empty one on the same port,
     * as when Redis without persistence crashes and comes back.
     */
    public static synchronized void restart() throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        start();
    }

    private static void start() throws IOException, InterruptedException {
        process = launch(port, dir);
    }

    /**
     * Another {@code redis-server} of its own on {@code port}, for a test that stops it: returns once it answers. Skips
     * the calling test when there is no redis-server.
     */
    public static Process launch(int port, Path dir) throws IOException, InterruptedException {
        Path redis = binary != null ? binary : findOnPath("redis-server");
        assumeTrue(redis != null, "redis-server is not on the PATH (Debian: apt-get install redis-server)");
        Process launched = new ProcessBuilder(redis.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!answersPing(port)) {
            if (!launched.isAlive() || System.nanoTime() > deadline) {
                launched.destroyForcibly();
                throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"));
            }
            Thread.sleep(50);
        }
        return launched;
    }

    private static boolean answersPing(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path findOnPath(String name) {
        List<String> dirs = Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return dirs.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
