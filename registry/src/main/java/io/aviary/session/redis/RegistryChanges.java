package io.aviary.session.redis;

import io.aviary.session.CachingSessionRegistry;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The routers' session cache in a cluster: every registry write, by any instance, publishes the bare JID it
 * changed on {@link RegistryKeys#CHANGES} ({@link RedisSessionRegistry}), and the {@link ChangeNotices}
 * listener built here evicts it.
 */
public final class RegistryChanges {

    private static final Logger log = LoggerFactory.getLogger(RegistryChanges.class);

    private RegistryChanges() {
    }

    /** A listener container (not yet started) that invalidates {@code cache} on every registry change. */
    public static RedisMessageListenerContainer listenerFor(RedisConnectionFactory connectionFactory,
                                                            CachingSessionRegistry cache) {
        return ChangeNotices.listenerFor(connectionFactory, RegistryKeys.CHANGES, bareJid -> {
            try {
                cache.invalidate(JidCreate.entityBareFrom(bareJid));
            } catch (XmppStringprepException e) {
                log.warn("ignored a registry change for a malformed JID: {}", bareJid);
            }
        }, cache::invalidateAll);
    }
}
