package io.aviary.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.service.IqHandler;
import io.aviary.service.ServiceHandler;
import io.aviary.xmpp.stanza.Stanza;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** What a capability may register is what it declares; the registry refuses the rest at start. */
class CapabilityRegistryTest {

    private static final DomainBareJid UPLOAD = JidCreate.domainBareFromOrThrowUnchecked("upload.localhost");

    private final CapabilityRegistry.Host host = CapabilityRegistry.detachedHost(JidCreate.domainBareFromOrThrowUnchecked("localhost"));

    private static IqHandler handler(String namespace) {
        return new IqHandler() {
            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Stanza handle(Stanza iq) {
                return iq.iqResult(null);
            }
        };
    }

    @Test
    void declaredHandlersAndListenersAreRegistered() {
        List<EntityBareJid> removed = new ArrayList<>();
        Capability ping = Capability.of(Declaration.builder("ping").iq("urn:xmpp:ping").build(),
                r -> r.iq(handler("urn:xmpp:ping")));
        Capability cleanup = Capability.of(Declaration.builder("cleanup").listensTo(Events.ACCOUNT_REMOVED).build(),
                r -> r.on(Events.ACCOUNT_REMOVED, removed::add));

        CapabilityRegistry registry = CapabilityRegistry.of(List.of(ping, cleanup), host);
        EntityBareJid juliet = JidCreate.entityBareFromOrThrowUnchecked("juliet@localhost");
        registry.emit(Events.ACCOUNT_REMOVED, juliet);

        assertThat(registry.iqHandlers()).containsOnlyKeys("urn:xmpp:ping");
        assertThat(registry.declarations()).extracting(Declaration::name).containsExactly("ping", "cleanup");
        assertThat(removed).containsExactly(juliet);
    }

    @Test
    void anIqNamespaceThatIsNotDeclaredIsRefused() {
        Capability sneaky = Capability.of(Declaration.builder("sneaky").iq("urn:xmpp:ping").build(),
                r -> r.iq(handler("jabber:iq:version")));

        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(sneaky), host))
                .hasMessageContaining("'sneaky'").hasMessageContaining("jabber:iq:version");
    }

    @Test
    void anEventThatIsNotDeclaredCannotBeHeardNorEmitted() {
        Capability listener = Capability.of(Declaration.builder("listener").build(),
                r -> r.on(Events.PRESENCE_AVAILABLE, jid -> { }));
        Capability emitter = Capability.of(Declaration.builder("emitter").build(),
                r -> r.context().emit(Events.ACCOUNT_REMOVED, JidCreate.entityBareFromOrThrowUnchecked("a@localhost")));

        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(listener), host)).hasMessageContaining("presence.available");
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(emitter), host)).hasMessageContaining("account.removed");
    }

    @Test
    void twoCapabilitiesCannotShareANameOrANamespace() {
        Capability a = Capability.of(Declaration.builder("a").iq("urn:x").build(), r -> r.iq(handler("urn:x")));
        Capability b = Capability.of(Declaration.builder("b").iq("urn:x").build(), r -> r.iq(handler("urn:x")));
        Capability alsoA = Capability.of(Declaration.builder("a").build(), r -> { });

        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(a, b), host)).hasMessageContaining("urn:x");
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(a, alsoA), host)).hasMessageContaining("two capabilities named 'a'");
    }

    @Test
    void aStoreMustBeDeclaredAndIsTheCapabilitysOwn() {
        List<KeyValueStore> stores = new ArrayList<>();
        Capability keeper = Capability.of(Declaration.builder("keeper").store("seen").build(),
                r -> stores.add(r.context().store("seen")));
        Capability thief = Capability.of(Declaration.builder("thief").build(), r -> r.context().store("seen"));

        CapabilityRegistry.of(List.of(keeper), host);
        stores.get(0).put("juliet@localhost", "k", "v");

        assertThat(stores.get(0).get("juliet@localhost", "k")).contains("v");
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(thief), host)).hasMessageContaining("store seen");
        Capability presenceThief = Capability.of(Declaration.builder("thief").build(),
                r -> r.context().presenceStore("seen"));
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(presenceThief), host)).hasMessageContaining("store seen");
    }

    @Test
    void declarationsSurviveTheirXmlForm() {
        Declaration roster = Declaration.builder("roster").summary("rosters").complete("RFC 6121", "XMPP IM", "RFC", "")
                .partial("XEP-0237", "Roster Versioning", "1.3", "a note").iq("jabber:iq:roster").discoFeature("f").accountFeature("a")
                .identity("pubsub", "pep", null).streamFeature(io.aviary.xmpp.xml.XmlElement.empty("ver", "urn:v"))
                .listensTo(Events.ACCOUNT_REMOVED).emits(Events.PRESENCE_AVAILABLE).store("roster")
                .hostedService(HostedService.of(UPLOAD, "HTTP File Upload", "store", "file", Set.of("urn:xmpp:http:upload:0")))
                .itemNode("http://jabber.org/protocol/commands")
                .build();

        assertThat(DeclarationXml.read(DeclarationXml.write(List.of(roster)))).containsExactly(roster);
    }

    @Test
    void aHostedServiceIsRegisteredOnlyByTheCapabilityDeclaringItAndOnlyOnce() {
        HostedService upload = HostedService.of(UPLOAD, "HTTP File Upload", "store", "file", Set.of());
        ServiceHandler handler = (stanza, delivery) -> { };
        Capability declared = Capability.of(Declaration.builder("upload").topic("xmpp.upload").hostedService(upload)
                .build(), r -> r.service(UPLOAD, handler));
        Capability undeclared = Capability.of(Declaration.builder("squatter").build(), r -> r.service(UPLOAD, handler));
        Capability twice = Capability.of(Declaration.builder("twice").hostedService(upload).build(),
                r -> r.service(UPLOAD, handler));

        CapabilityRegistry registry = CapabilityRegistry.of(List.of(declared), host);

        assertThat(registry.handlers("xmpp.upload").services()).containsOnlyKeys(UPLOAD);
        assertThat(registry.handlers(io.aviary.bus.Topics.SERVICE).services()).isEmpty();
        assertThat(upload.features()).contains(io.aviary.xmpp.disco.DiscoInfo.INFO, io.aviary.xmpp.disco.DiscoInfo.ITEMS);
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(undeclared), host))
                .hasMessageContaining("serves address upload.localhost");
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(declared, twice), host))
                .hasMessageContaining("another capability already serves");
    }

    @Test
    void theTableListsRfcsThenXepsByNumber() {
        String table = SpecificationTable.markdown(List.of(
                Declaration.builder("b").complete("XEP-0199", "XMPP Ping", "2.0.1", "")
                        .complete("XEP-0030", "Service Discovery", "2.5rc3", "").build(),
                Declaration.builder("a").partial("RFC 6121", "XMPP IM", "RFC", "no | pipes").build()));

        assertThat(table.lines().skip(2).toList()).containsExactly(
                "| RFC 6121 XMPP IM | RFC | partial | `a` | no \\| pipes |",
                "| XEP-0030 Service Discovery | 2.5rc3 | complete | `b` |  |",
                "| XEP-0199 XMPP Ping | 2.0.1 | complete | `b` |  |");
    }

    @Test
    void aCapabilityAnswersTheDiscoItemsOfItsOwnNodesOnItsTopicNextToTheDiscoCapability() {
        String items = io.aviary.xmpp.disco.DiscoInfo.ITEMS;
        Capability disco = Capability.of(Declaration.builder("disco").iq(items).build(), r -> r.iq(handler(items)));
        Capability commands = Capability.of(Declaration.builder("commands").iq("http://jabber.org/protocol/commands")
                .itemNode("http://jabber.org/protocol/commands").topic("xmpp.admin").build(), r -> r.iq(handler(items)));
        CapabilityRegistry registry = CapabilityRegistry.of(List.of(disco, commands), host);

        assertThat(registry.handlers("xmpp.admin").iq()).containsOnlyKeys(items);
        assertThat(registry.handlers(io.aviary.bus.Topics.SERVICE).iq()).containsOnlyKeys(items);
        assertThat(registry.iqHandlers().get(items)).isSameAs(registry.handlers(io.aviary.bus.Topics.SERVICE).iq().get(items));

        // Without a declared node it is refused like any undeclared namespace.
        Capability sneaky = Capability.of(Declaration.builder("sneaky").topic("xmpp.admin").build(), r -> r.iq(handler(items)));
        assertThatThrownBy(() -> CapabilityRegistry.of(List.of(sneaky), host)).hasMessageContaining("disco#items");
    }
}
