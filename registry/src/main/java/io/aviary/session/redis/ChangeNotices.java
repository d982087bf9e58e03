package io.aviary.session.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps a local cache honest in a cluster: every write, by any instance, publishes the key it changed on a
 * Redis channel, and this listener evicts it. Pub/sub is fire-and-forget, so on every (re)subscription the
 * whole cache is dropped ({@code missedSome}); the cache's own TTL covers the rest.
 */
public final class ChangeNotices implements MessageListener, SubscriptionListener {

    private final Consumer<String> changed;
    private final Runnable missedSome;

    private ChangeNotices(Consumer<String> changed, Runnable missedSome) {
        this.changed = changed;
        this.missedSome = missedSome;
    }

    /**
     * A listener container (not yet started) that calls {@code changed} with each notice published on
     * {@code channel}, and {@code missedSome} whenever notices may have been lost.
     */
    public static RedisMessageListenerContainer listenerFor(RedisConnectionFactory connectionFactory, String channel,
                                                            Consumer<String> changed, Runnable missedSome) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // While unsubscribed (Redis restarting) notices are lost and the cache can serve stale reads; retry
        // every second rather than every five, so that window closes soon after Redis is back.
        container.setRecoveryInterval(1_000);
        container.addMessageListener(new ChangeNotices(changed, missedSome), new ChannelTopic(channel));
        return container;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        changed.accept(new String(message.getBody(), StandardCharsets.UTF_8));
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        missedSome.run();
    }
}
