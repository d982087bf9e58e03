package io.aviary.session.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A registry script run without the caller waiting for Redis: for a gateway's event loop or a router's partition
 * loop, where a round trip would hold up every connection or partition of that thread. The text is read once (a
 * script's resource is read on every ask) and sent whole (EVAL, not EVALSHA with a retry that could overtake later
 * commands).
 */
record ScriptLater(String text, ScriptOutputType output) {

    static ScriptLater of(RedisScript<?> script, ScriptOutputType output) {
        return new ScriptLater(script.getScriptAsString(), output);
    }

    /**
     * Sends the script on the connection the template shares for all its commands (Lettuce's shared native
     * connection, the default), so Redis runs it after every command this process sent before and before every later
     * one. Completes on Lettuce's thread: continue elsewhere. Bulk strings in the answer come as {@code byte[]}.
     */
    <T> CompletableFuture<T> run(StringRedisTemplate redis, List<String> keys, String... args) {
        byte[][] keyBytes = keys.stream().map(ScriptLater::bytes).toArray(byte[][]::new);
        byte[][] argBytes = Arrays.stream(args).map(ScriptLater::bytes).toArray(byte[][]::new);
        return redis.execute((RedisCallback<CompletableFuture<T>>) connection -> {
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> commands =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            return commands.<T>eval(text, output, keyBytes, argBytes).toCompletableFuture();
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
