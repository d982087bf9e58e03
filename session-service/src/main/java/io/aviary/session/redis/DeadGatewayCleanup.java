package io.aviary.session.redis;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.service.Outbox;
import io.aviary.session.PeriodicTask;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session service's watch over gateways (design.md: when a gateway's liveness key expires,
 * "session-service removes that gateway's sessions and broadcasts unavailable presence for them"). Every
 * {@code sweep-interval} it sweeps; for each removed session it publishes the unavailable presence the
 * gateway would have sent (RFC 6121 §4.6: the server sends it on the user's behalf when a session ends
 * without one), so the presence service tells the contacts and forgets the resource, and the same to each target of
 * the session's directed presence (§4.6.3; the rooms it was in), which the registry kept for it. A XEP-0198 resumable session
 * is kept hibernated instead, for its maximum resumption time, so its client resumes on another gateway.
 *
 * <p>Deliveries the dead gateway never consumed must still reach the user: its topic is drained for
 * {@code drain-time} with the gateway's own consumer group (so a Kafka bus starts at the offsets it committed).
 * Deliveries with a position are in a resumption queue already; the others are handed over as undeliverable
 * ({@link UndeliveredMessages#handOver}: messages go to the account again, IQ requests are answered with an error, the
 * rest is dropped), and control records are dropped.
 */
public final class DeadGatewayCleanup extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(DeadGatewayCleanup.class);

    private final DeadGatewaySweeper sweeper;
    private final StanzaBus bus;
    private final Outbox outbox;
    private final ResumptionStore store;
    private final UndeliveredMessages undelivered;
    private final Clock clock;
    private final Duration drainTime;

    /**
     * @param drainTime how long a dead gateway's topic is drained: until no router can still hold a cached route to it
     */
    public DeadGatewayCleanup(DeadGatewaySweeper sweeper, StanzaBus bus, ResumptionStore store, MeterRegistry meters,
                              Clock clock, Duration interval, Duration drainTime) {
        super("dead-gateway-cleanup", interval);
        this.sweeper = sweeper;
        this.bus = bus;
        this.outbox = new Outbox(bus);
        this.store = store;
        this.undelivered = new UndeliveredMessages(bus, meters, clock);
        this.clock = clock;
        this.drainTime = drainTime;
    }

    /** One sweep now: what it did. */
    public DeadGatewaySweeper.Sweep sweepOnce() {
        DeadGatewaySweeper.Sweep sweep = sweeper.sweep();
        for (SessionEntry session : sweep.removed()) {
            outbox.sessionEnded(session.jid());
            outbox.directedPresenceEnded(session.jid(), sweep.directedPresenceOf(session.jid()));
        }
        sweep.hibernated().stream().filter(session -> !session.hibernated()).forEach(this::startHibernation);
        sweep.gateways().forEach(this::drain);
        return sweep;
    }

    /** The connection died with its gateway: the session stays resumable for its maximum resumption time. */
    private void startHibernation(SessionEntry session) {
        store.state(session.resumption()).ifPresent(state -> store.hibernate(session.resumption(),
                session.connectionId(), clock.instant().plus(state.session().maxResumption())));
    }

    private void drain(String gatewayId) {
        StanzaBus.Subscription drain = bus.subscribe(Topics.gateway(gatewayId), "gateway-" + gatewayId,
                message -> message.unbatched().forEach(this::redeliver));
        later(drain::close, drainTime);
        log.info("draining the topic of dead gateway {} for {}", gatewayId, drainTime);
    }

    private void redeliver(BusMessage delivery) {
        if (delivery.header(BusMessage.POSITION) == null && delivery.header(BusMessage.CONTROL) == null) {
            undelivered.handOver(delivery.stanza(), "dead-gateway");
        }
    }

    @Override
    protected void runOnce() {
        sweepOnce();
    }
}
