package io.aviary.xep0045;

import io.aviary.admin.Administrators;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.service.Outbox;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * XEP-0045 Multi-User Chat (capability {@code muc}, on the muc topic) at {@code conference.<domain>}; only where the
 * group chat tier runs ({@code aviary.muc.enabled}, default true).
 */
@AutoConfiguration(afterName = {"io.aviary.bus.kafka.KafkaBusConfiguration", "io.aviary.muc.RoomStoreConfiguration"})
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("muc")
@ConditionalOnProperty(prefix = "aviary.muc", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MucProperties.class)
public class MucConfiguration {

    @Bean
    public MucMetrics mucMetrics(ObjectProvider<MeterRegistry> meters) {
        return new MucMetrics(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * Rooms archive while some capability serves the archive topic (the archive tier, in process or not), as the
     * router archives users' messages.
     */
    @Bean
    public RoomArchive roomArchive(StanzaBus bus, CapabilityCatalogue catalogue) {
        return new RoomArchive(() -> catalogue.serves(Topics.ARCHIVE),
                (key, message) -> bus.publish(Topics.ARCHIVE, key, message));
    }

    @Bean
    public Capability mucCapability(MucProperties properties, DomainBareJid domain, RoomStore store, MucMetrics metrics,
                                    RoomArchive archive, Outbox outbox, Environment environment)
            throws XmppStringprepException {
        DomainBareJid address = JidCreate.domainBareFrom(
                properties.address() != null ? properties.address() : "conference." + domain);
        HostedService service = HostedService.of(address, properties.name(), "conference", "text",
                Set.of(MucXml.MUC, MucXml.OCCUPANT_ID, MucXml.SELF_PING, MucXml.PING, RoomArchive.SID,
                        RoomModeration.MODERATE, RoomAvatar.VCARD));
        OccupantIds ids = new OccupantIds(properties.occupantIdSecret());
        RemovedAccounts removedAccounts = new RemovedAccounts(store, domain, outbox::send);
        return Capability.of(declaration(service), registrar -> {
            registrar.service(address, new MucService(service, domain, store, properties, ids, metrics,
                    Clock.systemUTC(), output(outbox), archive.whenDestroyed(room ->
                            registrar.context().emit(Events.ROOM_DESTROYED, room)),
                    properties.adminsAreOwners() ? administrators(environment) : Set.of()));
            registrar.on(Events.ACCOUNT_REMOVED, removedAccounts::removed);
        });
    }

    /** The server's administrators ({@code aviary.admins}), read as the admin service reads them. */
    static Set<BareJid> administrators(Environment environment) {
        return Set.copyOf(Binder.get(environment).bindOrCreate("aviary", Administrators.class).jids());
    }

    /**
     * Everything a room sends goes as a multicast record keyed by the room (a single stanza is a multicast to one), so
     * that what one room sends one occupant stays in order on one lane of the route and gateway topics: the presences
     * of the others before the newcomer's own (XEP-0045 §7.2.3), then history and subject, then live messages. A
     * broadcast is one record, whose copies the router batches per gateway.
     */
    static RoomOutput output(Outbox outbox) {
        return new RoomOutput() {
            @Override
            public void accept(XmlElement stanza) {
                String to = stanza.attributeOrNull("to");
                if (to == null) {
                    outbox.send(stanza);
                } else {
                    outbox.multicast(stanza, List.of(to));
                }
            }

            @Override
            public void multicast(XmlElement stanza, List<String> recipients) {
                outbox.multicast(stanza, recipients);
            }
        };
    }

    static Declaration declaration(HostedService service) {
        return Declaration.builder("muc").summary("group chat rooms at conference.<domain>, kept in the room store")
                .topic(Topics.MUC)
                .partial("XEP-0045", "Multi-User Chat", "1.35.1",
                        "rooms created on first entry (locked until configured or accepted as instant), the "
                                + "configuration form with owner and admin lists, passwords, members-only, moderation "
                                + "(kick, ban, voice, moderator, admin, owner and their lists), voice requests, "
                                + "history on entry, subject, private messages, IQs relayed between occupants, nick "
                                + "changes, multi-session nicks, mediated invitations and declines, registration with "
                                + "a reserved nick, destruction with an alternate venue, disco of the service and "
                                + "rooms, presence broadcast by role (muc#roomconfig_presencebroadcast), a removed "
                                + "account's affiliations and hats dropped (its bans kept), the server's "
                                + "administrators owners of every room (aviary.muc.admins-are-owners)")
                .partial("XEP-0313", "Message Archive Management", "1.1.3",
                        "room archives (muc#roomconfig_enablearchiving, on by default) kept and queried by the "
                        + "archive tier: occupants, and members of a members-only room, may query; no "
                        + "per-room preferences")
                .complete("XEP-0317", "Hats", "0.2",
                        "owners and admins don and doff hats with the XEP-0050 commands at the room; hats in every "
                        + "presence of the wearer; hats in an occupant's own presence are removed")
                .partial("XEP-0050", "Ad-Hoc Commands", "1.3.0",
                        "at rooms: the XEP-0317 hat commands, listed to owners and admins")
                .complete("XEP-0486", "MUC Avatars", "0.1.0",
                        "the room's vCard-temp set by owners, read by anyone who sees the room; "
                        + "muc#roominfo_avatarhash; status 104 on a change")
                .complete("XEP-0425", "Moderated Message Retraction", "0.3.0",
                        "moderators retract by the room's stanza id: out of the history, announced to occupants, "
                        + "a tombstone in the room archive")
                .complete("XEP-0410", "MUC Self-Ping (Schrödinger's Chat)", "1.1.0",
                        "answered by the room for the occupant's own nick; other pings go on to the occupant")
                .complete("XEP-0421", "Anonymous unique occupant identifiers for MUCs", "0.2.0",
                        "HMAC of the bare JID keyed by a random per-room salt; forged ids removed")
                .complete("XEP-0249", "Direct MUC Invitations", "1.2",
                        "ordinary messages between users; nothing is asked of the server")
                .hostedService(service).store("muc").emits(Events.ROOM_DESTROYED)
                .listensTo(Events.ACCOUNT_REMOVED).build();
    }
}
