package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0313 message archives (capability {@code mam}, on the archive topic), switched by
 * {@code aviary.capabilities.mam.enabled}; needs the {@link ArchiveStore} of {@code ArchiveStoreConfiguration}.
 */
@AutoConfiguration(afterName = "io.aviary.archive.ArchiveStoreConfiguration")
@ConditionalOnBean({StanzaBus.class, ArchiveStore.class})
@ConditionalOnCapability("mam")
@EnableConfigurationProperties(MamProperties.class)
public class MamConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RosterMembership rosterMembership(ObjectProvider<DataSource> dataSource) {
        DataSource source = dataSource.getIfAvailable();
        return source == null ? RosterMembership.NONE : new JdbcRosterMembership(source);
    }

    /**
     * Writes behind the bus (each batch {@link ArchiveStore#inOneWrite in one write} of the store, each record
     * {@link StanzaBus#hold held} until then) unless told not to; appends without looking each id up where the bus hands
     * each record over once.
     */
    @Bean(destroyMethod = "close")
    public ArchiveWriter archiveWriter(ArchiveStore store, RosterMembership roster, MamProperties properties,
                                       StanzaBus bus, ObjectProvider<MeterRegistry> meters) {
        ArchiveWriter writer = new ArchiveWriter(store, new ArchivingPolicy(roster),
                meters.getIfAvailable(SimpleMeterRegistry::new));
        if (!bus.redelivers()) {
            writer.deliveredOnce();
        }
        return properties.writeBehind() ? writer.writingBehind(properties.writeQueue(), store::inOneWrite, bus::hold)
                : writer;
    }

    @Bean
    public Capability mamCapability(DomainBareJid domain, ArchiveStore store, ArchiveWriter writer, StanzaBus bus,
                                    MamProperties properties, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        return Capability.of(declaration(), registrar -> {
            registrar.iq(new MamQueryHandler(domain, store, writer::settle, registrar.context()::send,
                    properties.maxPage(), registry));
            registrar.message(writer);
            // An archive whose owner is gone (an account removed, a room destroyed: a room keeps its archive under its
            // own JID) goes by a request on the owner's key of the archive topic, which the writer reaches after the
            // records already on their way (a message delivered as the account went, a room's last line). Removed at
            // once, the archive would begin anew with those for whoever gets the address next.
            Consumer<EntityBareJid> removal = owner ->
                    bus.publish(Topics.ARCHIVE, owner.toString(), ArchiveRecord.removal(owner.toString()));
            registrar.on(Events.ACCOUNT_REMOVED, removal);
            registrar.on(Events.ROOM_DESTROYED, removal);
        });
    }

    static Declaration declaration() {
        return Declaration.builder("mam").summary("each account's archive of its one-to-one messages")
                .topic(Topics.ARCHIVE)
                .complete("XEP-0313", "Message Archive Management", "1.1.3",
                        "user archives: with, start, end, before-id, after-id, ids, flip-page, metadata; "
                                + "no groupchat messages")
                .complete("XEP-0441", "Message Archive Management Preferences", "0.2.0",
                        "always, never, roster; never wins over always")
                .complete("XEP-0359", "Unique and Stable Stanza IDs", "0.7.0",
                        "stanza-id by the archive owner on archived messages; forged ones removed; origin-id kept")
                .partial("XEP-0424", "Message Retraction", "0.4.2",
                        "tombstones in the archive for retractions by the original sender")
                .partial("XEP-0059", "Result Set Management", "1.0",
                        "as MAM uses it: max, after, before, count; no index paging")
                .accountIq(MamQueryHandler.NAMESPACE).accountFeature(MamQueryHandler.NAMESPACE + "#extended")
                .accountFeature("urn:xmpp:sid:0").accountFeature(Retraction.NAMESPACE + "#tombstone")
                .listensTo(Events.ACCOUNT_REMOVED).listensTo(Events.ROOM_DESTROYED).store("archive").build();
    }
}
