package io.aviary.capability;

import io.aviary.service.IqHandler;
import io.aviary.service.MessageHandler;
import io.aviary.service.PresenceHandler;
import io.aviary.service.ServiceHandler;
import io.aviary.service.StanzaFilter;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capabilities of this process and what they registered: the IQ handlers by namespace, the message and
 * presence handlers, the router's filters and the event listeners. Built once at start; every registration is
 * checked against its capability's declaration, so what the server answers and what it declares cannot drift
 * apart.
 */
public final class CapabilityRegistry implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(CapabilityRegistry.class);
    private static final String DISCO_ITEMS = io.aviary.xmpp.disco.DiscoInfo.ITEMS;

    /**
     * What the registry needs from the process that hosts it.
     *
     * @param stores         a capability's durable store by capability and store name
     * @param presenceStores the same for state that lives no longer than presences ({@link CapabilityContext#presenceStore})
     */
    public record Host(DomainBareJid domain, Consumer<XmlElement> sender,
                       BiFunction<String, String, KeyValueStore> stores,
                       BiFunction<String, String, KeyValueStore> presenceStores,
                       BiFunction<String, String, Optional<String>> settings) {
    }

    private final List<Declaration> declarations = new ArrayList<>();
    private final Map<String, IqHandler> iqHandlers = new LinkedHashMap<>();
    private final List<MessageHandler> messageHandlers = new ArrayList<>();
    private final Map<DomainBareJid, ServiceHandler> serviceHandlers = new LinkedHashMap<>();
    private final List<PresenceHandler> presenceHandlers = new ArrayList<>();
    private final List<StanzaFilter> filters = new ArrayList<>();
    private final Map<String, List<Consumer<Object>>> listeners = new LinkedHashMap<>();
    private final Map<String, Handlers> byTopic = new LinkedHashMap<>();

    /** Where server-wide events go after this process's listeners: nowhere until {@link #relayTo} is called. */
    private volatile EventSink relay = new EventSink() {
        @Override
        public <T> void emit(EventType<T> event, T payload) {
        }
    };

    /**
     * What the capabilities of one bus topic ({@link Declaration#topic()}) registered: the consumer of that topic
     * ({@link io.aviary.service.ServerRequests}) dispatches to these and to no other capability's handlers.
     */
    public record Handlers(Map<String, IqHandler> iq, List<PresenceHandler> presence, List<MessageHandler> messages,
                           Map<DomainBareJid, ServiceHandler> services) {

        private static Handlers empty() {
            return new Handlers(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
        }
    }

    private CapabilityRegistry() {
    }

    /** Registers each capability in order; fails on the first registration its declaration does not cover. */
    public static CapabilityRegistry of(List<? extends Capability> capabilities, Host host) {
        CapabilityRegistry registry = new CapabilityRegistry();
        Map<String, Capability> byName = new LinkedHashMap<>();
        for (Capability capability : capabilities) {
            Declaration declaration = capability.declaration();
            Capability other = byName.putIfAbsent(declaration.name(), capability);
            if (other != null) {
                throw new IllegalStateException("two capabilities named '" + declaration.name() + "': " + other
                        + " and " + capability);
            }
            registry.declarations.add(declaration);
            capability.register(registry.new Registration(declaration, host));
        }
        return registry;
    }

    public List<Declaration> declarations() {
        return Collections.unmodifiableList(declarations);
    }

    public Map<String, IqHandler> iqHandlers() {
        return Collections.unmodifiableMap(iqHandlers);
    }

    public List<MessageHandler> messageHandlers() {
        return Collections.unmodifiableList(messageHandlers);
    }

    public List<PresenceHandler> presenceHandlers() {
        return Collections.unmodifiableList(presenceHandlers);
    }

    public List<StanzaFilter> filters() {
        return Collections.unmodifiableList(filters);
    }

    /** The handlers of the capabilities whose declaration names {@code topic}. */
    public Handlers handlers(String topic) {
        Handlers handlers = byTopic.getOrDefault(topic, Handlers.empty());
        return new Handlers(Collections.unmodifiableMap(handlers.iq()), Collections.unmodifiableList(handlers.presence()),
                Collections.unmodifiableList(handlers.messages()), Collections.unmodifiableMap(handlers.services()));
    }

    private Handlers topicOf(Declaration declaration) {
        return byTopic.computeIfAbsent(declaration.topic(), t -> Handlers.empty());
    }

    /**
     * Tells the listeners of {@code event} in this process, then hands a {@link Events#serverWide server-wide} event
     * to the relay (which carries it to the other processes of a cluster).
     */
    @Override
    public <T> void emit(EventType<T> event, T payload) {
        emitHere(event, payload);
        if (Events.serverWide(event)) {
            relay.emit(event, payload);
        }
    }

    /** Sends the server-wide events emitted here on to {@code relay} too. */
    public void relayTo(EventSink relay) {
        this.relay = relay;
    }

    /** Whether a capability of this process listens to {@code event}. */
    public boolean listensTo(EventType<?> event) {
        return !listeners.getOrDefault(event.name(), List.of()).isEmpty();
    }

    /**
     * Tells the listeners of {@code event} in this process only, in registration order; one failing listener doesn't
     * stop the others. For events that come from another process.
     */
    public <T> void emitHere(EventType<T> event, T payload) {
        for (Consumer<Object> listener : listeners.getOrDefault(event.name(), List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                log.error("a listener of {} failed", event.name(), e);
            }
        }
    }

    /** One capability's registrar: checks each call against its declaration. */
    private final class Registration implements Registrar, CapabilityContext {

        private final Declaration declaration;
        private final Host host;

        Registration(Declaration declaration, Host host) {
            this.declaration = declaration;
            this.host = host;
        }

        @Override
        public void iq(IqHandler handler) {
            String namespace = handler.namespace();
            if (DISCO_ITEMS.equals(namespace) && !declaration.itemNodes().isEmpty()
                    && !declaration.iqNamespaces().contains(namespace)) {
                // The disco#items of its own nodes, which arrive on its topic alone (Declaration#itemNodes).
                if (topicOf(declaration).iq().putIfAbsent(namespace, handler) != null) {
                    throw new IllegalStateException("capability '" + declaration.name() + "' answers disco#items "
                            + "on topic " + declaration.topic() + ", which another capability already answers there");
                }
                return;
            }
            require(declaration.iqNamespaces().contains(namespace), "answers IQ namespace " + namespace);
            IqHandler previous = iqHandlers.putIfAbsent(namespace, handler);
            if (previous != null) {
                throw new IllegalStateException("capability '" + declaration.name() + "' answers " + namespace
                        + ", which another capability already answers");
            }
            topicOf(declaration).iq().put(namespace, handler);
        }

        @Override
        public void service(DomainBareJid address, ServiceHandler handler) {
            require(declaration.services().stream().anyMatch(s -> s.address().equals(address)),
                    "serves address " + address);
            if (serviceHandlers.putIfAbsent(address, handler) != null) {
                throw new IllegalStateException("capability '" + declaration.name() + "' serves " + address
                        + ", which another capability already serves");
            }
            topicOf(declaration).services().put(address, handler);
        }

        @Override
        public void message(MessageHandler handler) {
            messageHandlers.add(handler);
            topicOf(declaration).messages().add(handler);
        }

        @Override
        public void presence(PresenceHandler handler) {
            presenceHandlers.add(handler);
            topicOf(declaration).presence().add(handler);
        }

        @Override
        public void filter(StanzaFilter filter) {
            filters.add(filter);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> void on(EventType<T> event, Consumer<? super T> listener) {
            require(declaration.listensTo().contains(event.name()), "listens to event " + event.name());
            listeners.computeIfAbsent(event.name(), n -> new CopyOnWriteArrayList<>())
                    .add(payload -> listener.accept(event.payload().cast(payload)));
        }

        @Override
        public CapabilityContext context() {
            return this;
        }

        @Override
        public DomainBareJid domain() {
            return host.domain();
        }

        @Override
        public void send(XmlElement stanza) {
            host.sender().accept(stanza);
        }

        @Override
        public <T> void emit(EventType<T> event, T payload) {
            require(declaration.emits().contains(event.name()), "emits event " + event.name());
            CapabilityRegistry.this.emit(event, payload);
        }

        @Override
        public KeyValueStore store(String name) {
            return host.stores().apply(declaration.name(), declaredStore(name));
        }

        @Override
        public KeyValueStore presenceStore(String name) {
            return host.presenceStores().apply(declaration.name(), declaredStore(name));
        }

        @Override
        public Optional<String> setting(String key) {
            return host.settings().apply(declaration.name(), key);
        }

        private String declaredStore(String name) {
            require(declaration.stores().contains(name), "keeps store " + name);
            return name;
        }

        private void require(boolean declared, String what) {
            if (!declared) {
                throw new IllegalStateException("capability '" + declaration.name() + "' " + what
                        + " but does not declare it");
            }
        }
    }

    /** A host for tests and tools: sends nowhere, keeps stores in memory, has no settings. */
    public static Host detachedHost(DomainBareJid domain) {
        Map<String, KeyValueStore> stores = new java.util.concurrent.ConcurrentHashMap<>();
        BiFunction<String, String, KeyValueStore> inMemory =
                (capability, name) -> stores.computeIfAbsent(capability + "/" + name, n -> new InMemoryKeyValueStore());
        return new Host(domain, stanza -> { }, inMemory, inMemory, (capability, key) -> Optional.empty());
    }

}
