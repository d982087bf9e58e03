package io.aviary.xep0163;

import io.aviary.bus.Topics;
import io.aviary.capability.KeyValueStore;
import io.aviary.xmpp.disco.CapsVerification;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Which resources of an account's contacts (and of the account itself) are available with which XEP-0115 caps, learnt
 * from the presence the router copies to the account's PEP service ({@code Declaration#accountPresence}); and which of
 * them asked for notifications of a node ({@code <node>+notify}, XEP-0163 §4.3 "filtered notifications").
 *
 * <p>Per account and contact the resources are kept in a key-value store (the database: another pubsub instance
 * takes over an account's partition with what this one knew). A ver whose features no instance knows yet is asked
 * once per instance with a disco#info request from the account's bare JID to the resource (XEP-0115 §6.2), whose
 * answer comes back to this topic ({@link Topics#replyId}); a verified answer goes into the shared {@link CapsCache},
 * one that does not hash to the ver is dropped (§5.4). Presence seen while the query was out is then handed to the
 * account's partition again, marked {@link #RESOLVED}, so each account sends its last items in its own lane.
 */
final class ContactPresence {

    /** Marks a presence handed back once its caps are known: it only settles a resource already kept. */
    static final String RESOLVED = "urn:aviary:pep:caps-resolved";

    /** How long a disco#info request is waited for before another presence with that ver asks again. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** Keys of the capability store are at most this long (capability_store.item_key). */
    private static final int MAX_KEY = 255;

    /** A resource that became interested in nodes: the last item of each goes to it (XEP-0163 §4.3.4 rule 2). */
    record NewInterest(String fullJid, String contact, Set<String> nodes) {
    }

    private record Waiter(String owner, XmlElement presence) {
    }

    private static final class Query {
        final String id;
        final ClientCaps caps;
        final Instant sent;
        final List<Waiter> waiters = new ArrayList<>();

        Query(String id, ClientCaps caps, Instant sent) {
            this.id = id;
            this.caps = caps;
            this.sent = sent;
        }
    }

    private final KeyValueStore resources;
    private final CapsCache caps;
    private final Consumer<XmlElement> sender;
    private final BiConsumer<String, XmlElement> requeue;
    private final Clock clock;
    private final Map<String, Query> queriesByVer = new HashMap<>();
    private final Map<String, Query> queriesById = new HashMap<>();

    /**
     * @param requeue hands a presence to an account's lane of the pubsub topic again (account, presence)
     */
    ContactPresence(KeyValueStore resources, CapsCache caps, Consumer<XmlElement> sender,
                    BiConsumer<String, XmlElement> requeue, Clock clock) {
        this.resources = resources;
        this.caps = caps;
        this.sender = sender;
        this.requeue = requeue;
        this.clock = clock;
    }

    static String key(String contact) {
        if (contact.length() <= MAX_KEY) {
            return contact;
        }
        try {
            return "sha-256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(contact.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private ContactResources load(String owner, String contact) {
        return ContactResources.parse(resources.get(owner, key(contact)));
    }

    private void save(String owner, String contact, ContactResources known) {
        if (known.isEmpty()) {
            resources.delete(owner, key(contact));
        } else {
            resources.put(owner, key(contact), known.format());
        }
    }

    /**
     * Takes in an available or unavailable presence from {@code from} (a full JID) to {@code owner}'s bare JID.
     * Returns the nodes the resource now asks notifications of and did not before (all of them for a resource that
     * just became available), if any.
     */
    Optional<NewInterest> presence(String owner, String from, XmlElement presence) {
        int slash = from.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String contact = from.substring(0, slash);
        String resource = from.substring(slash + 1);
        ContactResources known = load(owner, contact);
        Optional<ContactResources.Resource> before = known.get(resource);
        String type = presence.attributeOrNull("type");
        if ("unavailable".equals(type)) {
            if (before.isPresent()) {
                known.remove(resource);
                save(owner, contact, known);
            }
            return Optional.empty();
        }
        if (type != null) {
            return Optional.empty();
        }
        Optional<ClientCaps> announced = ClientCaps.of(presence);
        boolean resolvedCopy = presence.child("resolved", RESOLVED).isPresent();
        if (resolvedCopy && (before.isEmpty() || !announced.equals(Optional.ofNullable(before.get().caps())))) {
            // The resource went away or changed its caps meanwhile: its own presence has been or will be handled.
            return Optional.empty();
        }
        int priority = resolvedCopy ? before.get().priority() : priority(presence);
        Optional<Set<String>> features = announced.flatMap(caps::features);
        known.put(resource, new ContactResources.Resource(priority, announced.orElse(null), features.isPresent()));
        save(owner, contact, known);
        if (announced.isPresent() && features.isEmpty()) {
            ask(owner, from, announced.get(), presence);
            return Optional.empty();
        }
        Set<String> now = priority < 0 ? Set.of() : notifyNodes(features.orElse(Set.of()));
        Set<String> earlier = before.filter(r -> r.resolved() && r.priority() >= 0 && r.caps() != null)
                .flatMap(r -> caps.features(r.caps())).map(ContactPresence::notifyNodes).orElse(Set.of());
        Set<String> added = new TreeSet<>(now);
        added.removeAll(earlier);
        return added.isEmpty() ? Optional.empty() : Optional.of(new NewInterest(from, contact, added));
    }

    /** RFC 6121 §4.7.2.3; 0 when absent or not a number. */
    private static int priority(XmlElement presence) {
        try {
            return presence.childText("priority", Stanza.CLIENT_NAMESPACE).map(String::trim).map(Integer::parseInt)
                    .orElse(0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Set<String> notifyNodes(Set<String> features) {
        return features.stream().filter(f -> f.endsWith("+notify") && f.length() > "+notify".length())
                .map(f -> f.substring(0, f.length() - "+notify".length())).collect(Collectors.toSet());
    }

    /**
     * The full JIDs of {@code contact}'s resources that asked for notifications of {@code node}: available with a
     * non-negative priority and caps whose features hold {@code node+notify} (XEP-0163 §4.3.4 "Number of
     * Notifications" rule 3).
     */
    List<String> interested(String owner, String contact, String node) {
        List<String> jids = new ArrayList<>();
        load(owner, contact).resources().forEach((resource, r) -> {
            if (r.resolved() && r.priority() >= 0 && r.caps() != null
                    && caps.features(r.caps()).map(f -> f.contains(node + "+notify")).orElse(false)) {
                jids.add(contact + "/" + resource);
            }
        });
        return jids;
    }

    /** XEP-0115 §6.2: asks the resource what its ver stands for, unless a request for that ver is still out. */
    private synchronized void ask(String owner, String fullJid, ClientCaps announced, XmlElement presence) {
        String verKey = announced.hash() + " " + announced.ver();
        Instant now = clock.instant();
        // Overdue requests are forgotten (the next presence with that ver asks again), so clients that announce ever
        // new vers and never answer cannot make these maps grow.
        queriesByVer.values().removeIf(query -> {
            boolean overdue = !query.sent.plus(QUERY_TIMEOUT).isAfter(now);
            if (overdue) {
                queriesById.remove(query.id);
            }
            return overdue;
        });
        Query pending = queriesByVer.get(verKey);
        if (pending != null) {
            pending.waiters.add(new Waiter(owner, presence));
            return;
        }
        Query query = new Query(Topics.replyId(Topics.PUBSUB, "caps-" + UUID.randomUUID()), announced, now);
        query.waiters.add(new Waiter(owner, presence));
        queriesByVer.put(verKey, query);
        queriesById.put(query.id, query);
        sender.accept(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "get")
                .attribute("from", owner).attribute("to", fullJid).attribute("id", query.id)
                .child(XmlElement.builder("query", DiscoInfo.INFO).attribute("node", announced.discoNode()).build())
                .build());
    }

    /**
     * The answer to a disco#info request of {@link #ask}: verified (§5.4), its features are cached and the presence
     * that waited for it is handed back to each account's lane; an error or a result that does not verify is dropped,
     * and so is the wait.
     */
    void reply(Stanza iq) {
        Query query;
        synchronized (this) {
            query = queriesById.remove(iq.id());
            if (query == null) {
                return;
            }
            queriesByVer.remove(query.caps.hash() + " " + query.caps.ver(), query);
        }
        Optional<XmlElement> result = "result".equals(iq.type())
                ? iq.payload().filter(p -> p.is("query", DiscoInfo.INFO)) : Optional.empty();
        if (result.isEmpty() || !CapsVerification.verifies(result.get(), query.caps.hash(), query.caps.ver())) {
            return;
        }
        Set<String> features = result.get().elements().filter(e -> e.is("feature", DiscoInfo.INFO))
                .map(e -> e.attributeOrNull("var")).filter(v -> v != null).collect(Collectors.toSet());
        caps.verified(query.caps, features);
        for (Waiter waiter : query.waiters) {
            requeue.accept(waiter.owner(), waiter.presence()
                    .withChild(XmlElement.builder("resolved", RESOLVED).build()));
        }
    }

    /** Whether an IQ id is one of this tracker's (a disco#info request it sent). */
    static boolean isCapsQuery(String id) {
        return id != null && id.startsWith(Topics.replyId(Topics.PUBSUB, "caps-"));
    }

    /** The account is gone: what its PEP knew of its contacts goes with it. */
    void accountRemoved(String owner) {
        resources.deleteOwner(owner);
    }
}
