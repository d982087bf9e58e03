package io.aviary.session.redis;

import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionState;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cluster's resumption store on the registry's Redis, in the {@code sm:} keys of {@link RegistryKeys}. Each
 * operation is one command or one Lua script (one round trip; acknowledgements and inbound counts are not waited
 * for), so routers, gateways and reapers on any instance see one consistent queue per session. Keys live for the
 * session's maximum resumption time plus {@code margin}, renewed by every write, so the state of a session nobody
 * ends (a reaper that died mid-way) ages out.
 */
public final class RedisResumptionStore implements ResumptionStore {

    private static final Logger log = LoggerFactory.getLogger(RedisResumptionStore.class);
    /** The scripts sent without waiting. */
    private static final ScriptLater ACKNOWLEDGE = ScriptLater.of(RegistryScripts.SM_ACKNOWLEDGE, ScriptOutputType.INTEGER);
    private static final ScriptLater HANDLED = ScriptLater.of(RegistryScripts.SM_HANDLED, ScriptOutputType.INTEGER);
    private static final ScriptLater DISCARD = ScriptLater.of(RegistryScripts.SM_DISCARD, ScriptOutputType.INTEGER);
    private static final ScriptLater APPEND = ScriptLater.of(RegistryScripts.SM_APPEND, ScriptOutputType.INTEGER);
    private static final ScriptLater OPEN = ScriptLater.of(RegistryScripts.SM_OPEN, ScriptOutputType.INTEGER);

    /** Stanzas come from Aviary itself, already parsed under the client limits; server-built ones may be larger. */
    private static final ParserLimits LIMITS = new ParserLimits(16 * 1024 * 1024, ParserLimits.DEFAULTS.maxDepth(),
            ParserLimits.DEFAULTS.maxAttributes());

    private final StringRedisTemplate redis;
    private final Duration margin;
    private final Clock clock;

    /**
     * @param margin how long a session's keys outlive its resumption time without writes; longer than the gateway's
     *               idle timeout, after which a silent connection is closed (and the session hibernated)
     */
    public RedisResumptionStore(StringRedisTemplate redis, Duration margin, Clock clock) {
        this.redis = redis;
        this.margin = margin;
        this.clock = clock;
    }

    @Override
    public void open(ResumableSession session) {
        redis.execute(RegistryScripts.SM_OPEN, keys(session.id(), true), (Object[]) openArguments(session));
    }

    @Override
    public CompletableFuture<Void> openLater(ResumableSession session) {
        return OPEN.<Long>run(redis, keys(session.id(), true), openArguments(session)).thenApply(opened -> null);
    }

    private String[] openArguments(ResumableSession session) {
        long ttl = session.maxResumption().plus(margin).toMillis();
        return new String[] {session.id(), session.jid().toString(), session.gatewayId(), session.connectionId(),
                Long.toString(session.maxResumption().toMillis()), Integer.toString(session.maxQueue()),
                Long.toString(ttl)};
    }

    @Override
    public long append(String id, XmlElement stanza) {
        Long position = redis.execute(RegistryScripts.SM_APPEND, keys(id, false), XmlWriter.write(stanza, null));
        return position == null ? UNKNOWN : position;
    }

    @Override
    public CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
        return APPEND.<Long>run(redis, keys(id, false), XmlWriter.write(stanza, null))
                .thenApply(position -> position == null ? UNKNOWN : position);
    }

    @Override
    public List<QueuedStanza> after(String id, long position) {
        // Positions are whole numbers: "after position" is "from position + 1".
        Set<String> members = redis.opsForZSet().rangeByScore(RegistryKeys.resumptionQueue(id), position + 1,
                Double.POSITIVE_INFINITY);
        List<QueuedStanza> queued = new ArrayList<>();
        if (members != null) {
            for (String member : members) {
                int space = member.indexOf(' ');
                queued.add(new QueuedStanza(Long.parseLong(member.substring(0, space)),
                        XmlDocumentParser.parse(member.substring(space + 1).getBytes(StandardCharsets.UTF_8), LIMITS)));
            }
        }
        return queued;
    }

    @Override
    public void acknowledge(String id, long h, long position) {
        send(ACKNOWLEDGE, keys(id, false), Long.toString(h), Long.toString(position));
    }

    @Override
    public void discard(String id, long position) {
        send(DISCARD, List.of(RegistryKeys.resumptionQueue(id)), Long.toString(position));
    }

    @Override
    public void handled(String id, long inbound) {
        send(HANDLED, keys(id, false), Long.toString(inbound));
    }

    /**
     * Runs a script without waiting for its answer: acknowledgements, inbound counts and discards come on a gateway's
     * event loop with every stanza (a discard with each presence an inactive client's filter supersedes), where a
     * round trip would hold up every connection of that loop. The counters only ever move forward. A write lost with
     * its gateway costs at most stanzas sent twice after a resumption, never a loss: the queue is only trimmed by
     * acknowledgements and discards.
     */
    private void send(ScriptLater script, List<String> keys, String... args) {
        script.run(redis, keys, args).whenComplete((done, failure) -> {
            if (failure != null) {
                log.debug("resumption write {} failed", keys.get(0), failure);
            }
        });
    }

    @Override
    public Optional<ResumptionState> state(String id) {
        Map<Object, Object> fields = redis.opsForHash().entries(RegistryKeys.resumption(id));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> strings = new HashMap<>();
        fields.forEach((k, v) -> strings.put((String) k, (String) v));
        return Optional.of(state(id, strings));
    }

    @Override
    public boolean hibernate(String id, String connectionId, Instant until) {
        long keyTtl = Math.max(0, until.toEpochMilli() - clock.millis()) + margin.toMillis();
        Long done = redis.execute(RegistryScripts.SM_HIBERNATE, keys(id, true), id, connectionId,
                Long.toString(until.toEpochMilli()), Long.toString(keyTtl));
        return done != null && done == 1L;
    }

    @Override
    public Optional<ResumptionState> claim(String id, String gatewayId, String connectionId) {
        List<?> fields = redis.execute(RegistryScripts.SM_CLAIM, keys(id, true), id, gatewayId, connectionId,
                Long.toString(clock.millis()));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(state(id, map(fields)));
    }

    @Override
    public List<ResumptionState> expired(Instant now, int max) {
        List<?> sessions = redis.execute(RegistryScripts.SM_EXPIRED, List.of(RegistryKeys.HIBERNATED),
                Long.toString(now.toEpochMilli()), Integer.toString(max));
        List<ResumptionState> expired = new ArrayList<>();
        if (sessions != null) {
            for (Object fields : sessions) {
                Map<String, String> map = map((List<?>) fields);
                expired.add(state(map.get("id"), map));
            }
        }
        return expired;
    }

    @Override
    public void close(String id) {
        redis.execute(RegistryScripts.SM_CLOSE, keys(id, true), id);
    }

    private static List<String> keys(String id, boolean withIndex) {
        return withIndex
                ? List.of(RegistryKeys.resumption(id), RegistryKeys.resumptionQueue(id), RegistryKeys.HIBERNATED)
                : List.of(RegistryKeys.resumption(id), RegistryKeys.resumptionQueue(id));
    }

    private static Map<String, String> map(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    private static ResumptionState state(String id, Map<String, String> f) {
        ResumableSession session = new ResumableSession(id, RedisSessionRegistry.fullJid(f.get("jid")), f.get("gw"),
                f.get("conn"), Duration.ofMillis(Long.parseLong(f.get("max"))), Integer.parseInt(f.get("maxq")));
        String until = f.get("until");
        return new ResumptionState(session, Long.parseLong(f.get("ackh")), Long.parseLong(f.get("acka")),
                Long.parseLong(f.get("last")), Long.parseLong(f.get("in")),
                until == null ? null : Instant.ofEpochMilli(Long.parseLong(until)), f.get("prev"));
    }
}
