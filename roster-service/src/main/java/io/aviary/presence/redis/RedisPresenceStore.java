package io.aviary.presence.redis;

import io.aviary.presence.PresenceStore;
import io.aviary.presence.ResourcePresence;
import io.aviary.session.redis.RegistryKeys;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@link PresenceStore} of a cluster, shared by every roster-service instance (partitions of the service
 * topic move between them): {@code pres:{bareJid}} ({@link RegistryKeys#presence}) hashes resource →
 * {@code priority TAB presence XML}. Replacing and forgetting run as Lua scripts next to this class, so the
 * presence they return is exactly the one they replaced. Each write sets the session TTL and gateway
 * heartbeats extend it while the account has a session, so presence lingers no longer than a session would.
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final RedisScript<String> AVAILABLE = script("available.lua");
    private static final RedisScript<String> UNAVAILABLE = script("unavailable.lua");
    private static final char SEPARATOR = '\t';
    // Stored presence was written by this class from stanzas the gateway had already held to the client
    // limits, which an operator may have raised; these bounds only keep the parser from refusing them.
    private static final ParserLimits STORED = new ParserLimits(Integer.MAX_VALUE, 1024, 1024);

    private final StringRedisTemplate redis;
    private final String ttlMillis;

    public RedisPresenceStore(StringRedisTemplate redis, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the presence TTL must be positive: " + ttl);
        }
        this.redis = redis;
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    @Override
    public Optional<ResourcePresence> available(ResourcePresence presence) {
        EntityFullJid resource = presence.resource();
        String previous = redis.execute(AVAILABLE, List.of(RegistryKeys.presence(resource.asEntityBareJid())),
                resource.getResourcepart().toString(), encode(presence), ttlMillis);
        return Optional.ofNullable(previous).map(value -> decode(resource, value));
    }

    @Override
    public Optional<ResourcePresence> unavailable(EntityFullJid resource) {
        String previous = redis.execute(UNAVAILABLE, List.of(RegistryKeys.presence(resource.asEntityBareJid())),
                resource.getResourcepart().toString());
        return Optional.ofNullable(previous).map(value -> decode(resource, value));
    }

    @Override
    public List<ResourcePresence> resources(EntityBareJid account) {
        Map<String, String> entries = redis.<String, String>opsForHash().entries(RegistryKeys.presence(account));
        return entries.entrySet().stream()
                .map(e -> decode(JidCreate.entityFullFrom(account, Resourcepart.fromOrThrowUnchecked(e.getKey())),
                        e.getValue()))
                .toList();
    }

    private static String encode(ResourcePresence presence) {
        return Integer.toString(presence.priority()) + SEPARATOR + XmlWriter.write(presence.presence(), null);
    }

    private static ResourcePresence decode(EntityFullJid resource, String value) {
        int separator = value.indexOf(SEPARATOR);
        try {
            int priority = Integer.parseInt(value.substring(0, separator));
            XmlElement presence = XmlDocumentParser.parse(
                    value.substring(separator + 1).getBytes(StandardCharsets.UTF_8), STORED);
            return new ResourcePresence(resource, presence, priority);
        } catch (IndexOutOfBoundsException | NumberFormatException | XmppStreamException e) {
            throw new IllegalStateException("malformed stored presence of " + resource + ": " + value, e);
        }
    }

    private static RedisScript<String> script(String name) {
        return RedisScript.of(new ClassPathResource(name, RedisPresenceStore.class), String.class);
    }
}
