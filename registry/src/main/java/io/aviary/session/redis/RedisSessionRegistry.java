package io.aviary.session.redis;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cluster registry on Redis, in the key layout of {@link RegistryKeys}. Writes are Lua scripts, so
 * "displace the previous connection" and "unbind only if still mine" are atomic across router, gateway
 * and session-service instances. Every write extends the account's and the gateway index's TTL; the
 * gateway heartbeat ({@link GatewayHeartbeat}) keeps extending them while the gateway lives. Every change
 * is announced on {@link RegistryKeys#CHANGES} for the routers' caches ({@link RegistryChanges}).
 */
public final class RedisSessionRegistry implements SessionRegistry {

    private static final ScriptLater UPDATE_ENTRY_LATER = ScriptLater.of(RegistryScripts.UPDATE_ENTRY,
            ScriptOutputType.INTEGER);
    private static final ScriptLater DIRECTED_PRESENCE_LATER = ScriptLater.of(RegistryScripts.DIRECTED_PRESENCE,
            ScriptOutputType.INTEGER);
    private static final ScriptLater TAKE_DIRECTED_PRESENCE_LATER = ScriptLater.of(
            RegistryScripts.TAKE_DIRECTED_PRESENCE, ScriptOutputType.MULTI);

    private final StringRedisTemplate redis;
    private final String sessionTtlMillis;

    public RedisSessionRegistry(StringRedisTemplate redis, Duration sessionTtl) {
        this.redis = redis;
        this.sessionTtlMillis = Long.toString(sessionTtl.toMillis());
    }

    @Override
    public Optional<SessionEntry> bind(SessionEntry entry) {
        EntityFullJid jid = entry.jid();
        String displaced = redis.execute(RegistryScripts.BIND,
                List.of(RegistryKeys.account(jid.asEntityBareJid()), RegistryKeys.gatewaySessions(entry.gatewayId())),
                jid.getResourcepart().toString(), EntryCodec.encode(entry), jid.toString(), entry.gatewayId(),
                entry.connectionId(), sessionTtlMillis, jid.asEntityBareJidString());
        return Optional.ofNullable(displaced).map(value -> EntryCodec.decode(jid, value));
    }

    @Override
    public boolean unbind(EntityFullJid jid, String connectionId) {
        Long removed = redis.execute(RegistryScripts.UNBIND, List.of(RegistryKeys.account(jid.asEntityBareJid())),
                jid.getResourcepart().toString(), connectionId, jid.toString(), jid.asEntityBareJidString());
        return removed != null && removed == 1L;
    }

    @Override
    public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
        updateEntry(jid, connectionId, EntryCodec.PRIORITY, Integer.toString(priority),
                EntryCodec.AVAILABLE, EntryCodec.flag(available));
    }

    @Override
    public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                       boolean available) {
        return updateEntryLater(jid, connectionId, EntryCodec.PRIORITY, Integer.toString(priority),
                EntryCodec.AVAILABLE, EntryCodec.flag(available));
    }

    @Override
    public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
        updateEntry(jid, connectionId, EntryCodec.CARBONS, EntryCodec.flag(enabled));
    }

    @Override
    public CompletableFuture<Void> updateCarbonsLater(EntityFullJid jid, String connectionId, boolean enabled) {
        return updateEntryLater(jid, connectionId, EntryCodec.CARBONS, EntryCodec.flag(enabled));
    }

    @Override
    public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
        EntryCodec.requireResumptionId(resumptionId);
        updateEntry(jid, connectionId, EntryCodec.RESUMPTION, resumptionId);
    }

    @Override
    public CompletableFuture<Void> markResumableLater(EntityFullJid jid, String connectionId, String resumptionId) {
        EntryCodec.requireResumptionId(resumptionId);
        return updateEntryLater(jid, connectionId, EntryCodec.RESUMPTION, resumptionId);
    }

    @Override
    public boolean hibernate(EntityFullJid jid, String connectionId) {
        return updateEntry(jid, connectionId, EntryCodec.HIBERNATED, EntryCodec.flag(true));
    }

    @Override
    public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId, String connectionId) {
        EntryCodec.requireResumptionId(resumptionId);
        String before = redis.execute(RegistryScripts.RESUME,
                List.of(RegistryKeys.account(jid.asEntityBareJid()), RegistryKeys.gatewaySessions(gatewayId)),
                jid.getResourcepart().toString(), resumptionId, gatewayId, connectionId, jid.toString(),
                sessionTtlMillis, jid.asEntityBareJidString());
        return Optional.ofNullable(before).map(value -> EntryCodec.decode(jid, value));
    }

    @Override
    public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
        redis.execute(RegistryScripts.DIRECTED_PRESENCE, directedPresenceKeys(jid),
                (Object[]) directedPresenceArguments(jid, connectionId, target, available));
    }

    @Override
    public CompletableFuture<Void> directedPresenceLater(EntityFullJid jid, String connectionId, String target,
                                                         boolean available) {
        return DIRECTED_PRESENCE_LATER.<Long>run(redis, directedPresenceKeys(jid),
                directedPresenceArguments(jid, connectionId, target, available)).thenApply(done -> null);
    }

    private static List<String> directedPresenceKeys(EntityFullJid jid) {
        return List.of(RegistryKeys.account(jid.asEntityBareJid()), RegistryKeys.directedPresence(jid));
    }

    private String[] directedPresenceArguments(EntityFullJid jid, String connectionId, String target,
                                               boolean available) {
        return new String[] {jid.getResourcepart().toString(), connectionId, target, EntryCodec.flag(available),
                sessionTtlMillis};
    }

    @Override
    public Set<String> takeDirectedPresence(EntityFullJid jid) {
        List<?> targets = redis.execute(RegistryScripts.TAKE_DIRECTED_PRESENCE,
                List.of(RegistryKeys.directedPresence(jid)));
        return targets == null ? Set.of()
                : targets.stream().map(String.class::cast).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public CompletableFuture<Set<String>> takeDirectedPresenceLater(EntityFullJid jid) {
        return TAKE_DIRECTED_PRESENCE_LATER.<List<byte[]>>run(redis, List.of(RegistryKeys.directedPresence(jid)))
                .thenApply(targets -> targets == null ? Set.of() : targets.stream()
                        .map(target -> new String(target, StandardCharsets.UTF_8))
                        .collect(Collectors.toUnmodifiableSet()));
    }

    /** Rewrites fields (number, value, ...) of the entry if {@code connectionId} still owns {@code jid}. */
    private boolean updateEntry(EntityFullJid jid, String connectionId, String... fieldsAndValues) {
        Long updated = redis.execute(RegistryScripts.UPDATE_ENTRY, List.of(RegistryKeys.account(jid.asEntityBareJid())),
                (Object[]) updateArguments(jid, connectionId, fieldsAndValues));
        return updated != null && updated == 1L;
    }

    private CompletableFuture<Void> updateEntryLater(EntityFullJid jid, String connectionId,
                                                     String... fieldsAndValues) {
        return UPDATE_ENTRY_LATER.<Long>run(redis, List.of(RegistryKeys.account(jid.asEntityBareJid())),
                updateArguments(jid, connectionId, fieldsAndValues)).thenApply(updated -> null);
    }

    private static String[] updateArguments(EntityFullJid jid, String connectionId, String... fieldsAndValues) {
        List<String> args = new ArrayList<>(List.of(jid.getResourcepart().toString(), connectionId,
                jid.asEntityBareJidString()));
        args.addAll(List.of(fieldsAndValues));
        return args.toArray(String[]::new);
    }

    @Override
    public Optional<SessionEntry> session(EntityFullJid jid) {
        Object value = redis.opsForHash().get(RegistryKeys.account(jid.asEntityBareJid()),
                jid.getResourcepart().toString());
        return Optional.ofNullable(value).map(v -> EntryCodec.decode(jid, (String) v));
    }

    @Override
    public List<SessionEntry> sessions(EntityBareJid account) {
        Map<Object, Object> resources = redis.opsForHash().entries(RegistryKeys.account(account));
        return resources.entrySet().stream()
                .map(e -> EntryCodec.decode(fullJid(account, (String) e.getKey()), (String) e.getValue()))
                .toList();
    }

    @Override
    public Set<EntityFullJid> sessionsOf(String gatewayId) {
        Set<String> members = redis.opsForSet().members(RegistryKeys.gatewaySessions(gatewayId));
        return members == null ? Set.of()
                : members.stream().map(RedisSessionRegistry::fullJid).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Set<String> gateways() {
        Set<String> members = redis.opsForSet().members(RegistryKeys.GATEWAYS);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    static EntityFullJid fullJid(String full) {
        try {
            return JidCreate.entityFullFrom(full);
        } catch (XmppStringprepException e) {
            throw new IllegalStateException("malformed full JID in the registry: " + full, e);
        }
    }

    private static EntityFullJid fullJid(EntityBareJid account, String resource) {
        try {
            return JidCreate.entityFullFrom(account, Resourcepart.from(resource));
        } catch (XmppStringprepException e) {
            throw new IllegalStateException("malformed resource in the registry: " + resource, e);
        }
    }
}
