package io.aviary.session.redis;

import io.aviary.session.CachingSessionRegistry;
import java.nio.charset.StandardCharsets;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps a {@link CachingSessionRegistry} honest in a cluster: every registry write, by any instance,
 * publishes the bare JID it changed on {@link RegistryKeys#CHANGES}, and this listener evicts it. Pub/sub
 * is fire-and-forget, so on every (re)subscription the whole cache is dropped; the cache TTL covers the
 * rest (for example sessions that simply expired).
 */
public final class RegistryChanges implements MessageListener, SubscriptionListener {

    private static final Logger log = LoggerFactory.getLogger(RegistryChanges.class);

    private final CachingSessionRegistry cache;

    private RegistryChanges(CachingSessionRegistry cache) {
        this.cache = cache;
    }

    /** A listener container (not yet started) that invalidates {@code cache} on every registry change. */
    public static RedisMessageListenerContainer listenerFor(RedisConnectionFactory connectionFactory,
                                                            CachingSessionRegistry cache) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // While unsubscribed (Redis restarting) change notices are lost and the cache can serve stale reads;
        // retry every second rather than every five, so that window closes soon after Redis is back.
        container.setRecoveryInterval(1_000);
        container.addMessageListener(new RegistryChanges(cache), new ChannelTopic(RegistryKeys.CHANGES));
        return container;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String bareJid = new String(message.getBody(), StandardCharsets.UTF_8);
        try {
            cache.invalidate(JidCreate.entityBareFrom(bareJid));
        } catch (XmppStringprepException e) {
            log.warn("ignored a registry change for a malformed JID: {}", bareJid);
        }
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        cache.invalidateAll();
    }
}
