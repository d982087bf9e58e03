package io.aviary.capability;

import io.aviary.bus.Topics;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a capability registers, as data: the one place the server's disco#info, its stream features, the
 * supported-specifications table and the checks on what a capability may register come from.
 *
 * @param name            the capability's name, also its switch: {@code aviary.capabilities.<name>.enabled}
 * @param summary         one line for the specifications table and the admin view
 * @param specifications  what it implements, with version and status
 * @param iqNamespaces    payload namespaces of the IQs it answers (addressed to the server or an account)
 * @param discoFeatures   features of the server's disco#info beyond its IQ namespaces ({@code msgoffline})
 * @param accountFeatures features of an account's disco#info (XEP-0030 at a bare JID: {@code vcard-temp})
 * @param identities      identities it adds to the server's disco#info
 * @param streamFeatures  elements it adds to {@code <stream:features/>} after authentication
 * @param listensTo       names of the events it listens to ({@link Events})
 * @param emits           names of the events it emits
 * @param stores          names of the stores it keeps its state in
 * @param accountIqs      those of {@link #iqNamespaces} answered only at an account's bare JID (XEP-0313 archives,
 *                        XEP-0357 push): account features, not features of the server's disco#info
 * @param topic           the bus topic its IQs and messages arrive on: {@link Topics#SERVICE} (the roster service's,
 *                        the default) or the topic of the service that runs it ({@link Topics#ARCHIVE}); the router
 *                        sends an IQ to the topic of the capability that declares its payload namespace
 * @param services        services at addresses of their own ({@code upload.<domain>}): items of the domain's disco#items;
 *                        the router sends every stanza addressed to one of them to this capability's {@code topic}
 * @param accountIdentities identities it adds to an account's disco#info (XEP-0163 §6.1: {@code pubsub/pep})
 * @param accountPresence whether it gets, on its {@code topic} keyed by the account, a copy of each available and
 *                        unavailable presence the router hands to an account's bare JID (a contact's broadcast, the
 *                        account's own resources'): XEP-0163 PEP learns from it who is online with which XEP-0115 caps
 * @param itemNodes       nodes of the domain's disco#items it answers itself (XEP-0050's
 *                        {@code http://jabber.org/protocol/commands}, whose items depend on who asks): the router sends
 *                        a disco#items request to the domain for such a node to this capability's {@code topic}, where
 *                        it registers a disco#items handler without declaring that namespace (the disco capability
 *                        answers every other disco#items)
 */
public record Declaration(String name, String summary, List<Specification> specifications, Set<String> iqNamespaces,
                          Set<String> discoFeatures, Set<String> accountFeatures, List<DiscoInfo.Identity> identities,
                          List<XmlElement> streamFeatures, Set<String> listensTo, Set<String> emits, Set<String> stores,
                          Set<String> accountIqs, String topic, List<HostedService> services,
                          List<DiscoInfo.Identity> accountIdentities, boolean accountPresence, Set<String> itemNodes) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public Declaration {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a capability name is lower case letters, digits and '-': " + name);
        }
        summary = summary == null ? "" : summary;
        specifications = List.copyOf(specifications);
        iqNamespaces = Set.copyOf(iqNamespaces);
        discoFeatures = Set.copyOf(discoFeatures);
        accountFeatures = Set.copyOf(accountFeatures);
        identities = List.copyOf(identities);
        streamFeatures = List.copyOf(streamFeatures);
        listensTo = Set.copyOf(listensTo);
        emits = Set.copyOf(emits);
        stores = Set.copyOf(stores);
        accountIqs = Set.copyOf(accountIqs);
        if (!iqNamespaces.containsAll(accountIqs)) {
            throw new IllegalArgumentException("account IQ namespaces must be IQ namespaces: " + accountIqs);
        }
        topic = topic == null ? Topics.SERVICE : topic;
        services = List.copyOf(services);
        accountIdentities = List.copyOf(accountIdentities);
        itemNodes = itemNodes == null ? Set.of() : Set.copyOf(itemNodes);
    }

    /** Every disco#info feature of the server this capability is responsible for: its IQ namespaces and features. */
    public Set<String> serverFeatures() {
        Set<String> all = new LinkedHashSet<>(iqNamespaces);
        all.removeAll(accountIqs);
        all.addAll(discoFeatures);
        return all;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a declaration the way a capability reads aloud: "ping implements XEP-0199 and answers urn:xmpp:ping". */
    public static final class Builder {
        private final String name;
        private String summary = "";
        private final List<Specification> specifications = new ArrayList<>();
        private final Set<String> iqNamespaces = new LinkedHashSet<>();
        private final Set<String> discoFeatures = new LinkedHashSet<>();
        private final Set<String> accountFeatures = new LinkedHashSet<>();
        private final List<DiscoInfo.Identity> identities = new ArrayList<>();
        private final List<XmlElement> streamFeatures = new ArrayList<>();
        private final Set<String> listensTo = new LinkedHashSet<>();
        private final Set<String> emits = new LinkedHashSet<>();
        private final Set<String> stores = new LinkedHashSet<>();
        private final Set<String> accountIqs = new LinkedHashSet<>();
        private String topic = Topics.SERVICE;
        private final List<HostedService> services = new ArrayList<>();
        private final List<DiscoInfo.Identity> accountIdentities = new ArrayList<>();
        private boolean accountPresence;
        private final Set<String> itemNodes = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder summary(String text) {
            summary = text;
            return this;
        }

        public Builder implementsSpec(Specification specification) {
            specifications.add(specification);
            return this;
        }

        public Builder complete(String id, String title, String version, String note) {
            return implementsSpec(new Specification(id, title, version, Specification.Status.COMPLETE, note));
        }

        public Builder partial(String id, String title, String version, String note) {
            return implementsSpec(new Specification(id, title, version, Specification.Status.PARTIAL, note));
        }

        public Builder iq(String namespace) {
            iqNamespaces.add(namespace);
            return this;
        }

        /** An IQ namespace answered only at an account's bare JID: an account feature, not a server feature. */
        public Builder accountIq(String namespace) {
            iqNamespaces.add(namespace);
            accountIqs.add(namespace);
            accountFeatures.add(namespace);
            return this;
        }

        public Builder discoFeature(String feature) {
            discoFeatures.add(feature);
            return this;
        }

        public Builder accountFeature(String feature) {
            accountFeatures.add(feature);
            return this;
        }

        public Builder identity(String category, String type, String identityName) {
            identities.add(new DiscoInfo.Identity(category, type, identityName));
            return this;
        }

        /** An identity of an account's disco#info, beside {@code account/registered}. */
        public Builder accountIdentity(String category, String type) {
            accountIdentities.add(new DiscoInfo.Identity(category, type, null));
            return this;
        }

        /** Asks for a copy of the presence the router hands to accounts' bare JIDs (see {@link Declaration}). */
        public Builder accountPresence() {
            accountPresence = true;
            return this;
        }

        public Builder streamFeature(XmlElement feature) {
            streamFeatures.add(feature);
            return this;
        }

        public Builder listensTo(EventType<?> event) {
            listensTo.add(event.name());
            return this;
        }

        public Builder emits(EventType<?> event) {
            emits.add(event.name());
            return this;
        }

        public Builder store(String store) {
            stores.add(store);
            return this;
        }

        /** The bus topic of the service that runs this capability, when it is not the roster service's. */
        public Builder topic(String busTopic) {
            topic = busTopic;
            return this;
        }

        /** A service at an address of its own, which the capability registers a handler for. */
        public Builder hostedService(HostedService service) {
            services.add(service);
            return this;
        }

        /** A node of the domain's disco#items this capability answers itself ({@link Declaration#itemNodes}). */
        public Builder itemNode(String node) {
            itemNodes.add(node);
            return this;
        }

        public Declaration build() {
            return new Declaration(name, summary, specifications, iqNamespaces, discoFeatures, accountFeatures,
                    identities, streamFeatures, listensTo, emits, stores, accountIqs, topic, services, accountIdentities,
                    accountPresence, itemNodes);
        }
    }
}
