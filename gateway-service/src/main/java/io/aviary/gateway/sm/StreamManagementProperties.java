package io.aviary.gateway.sm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0198 Stream Management and dead-connection probing ({@code aviary.gateway.stream-management.*}).
 *
 * @param enabled            whether {@code <sm xmlns='urn:xmpp:sm:3'/>} is offered on TCP and WebSocket streams
 *                           (default true; never on BOSH, whose requests are acknowledged already)
 * @param maxResumption      how long a session stays resumable after its connection is gone when the client asks for
 *                           no {@code max} (default 10m)
 * @param maxResumptionLimit the most a client's {@code max} may obtain (default 10m; an operator may allow hours)
 * @param ackRequestEvery    the server asks for an ack ({@code <r/>}) after this many stanzas written since its last
 *                           request (default 5), and at once when the unacknowledged stanzas pass half of
 *                           {@code maxQueue}; the request goes out in the same write as the stanza it follows
 * @param maxQueue           unacknowledged stanzas a session may have; past it the stream ends with
 *                           {@code resource-constraint} and the session ends (default 500, as Prosody's
 *                           {@code smacks_max_queue_size})
 * @param probeAfter         a bound stream silent this long is probed: {@code <r/>} with stream management, else a
 *                           XEP-0199 ping (default 30s; 0 disables probing)
 * @param probeTimeout       a probed stream that sends nothing more within this is taken for a lost connection:
 *                           hibernated when resumable, else ended (default 20s: a vanished phone is hibernated within
 *                           50 s of its last word)
 */
@ConfigurationProperties(prefix = "aviary.gateway.stream-management")
public record StreamManagementProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10m") Duration maxResumption,
        @DefaultValue("10m") Duration maxResumptionLimit,
        @DefaultValue("5") int ackRequestEvery,
        @DefaultValue("500") int maxQueue,
        @DefaultValue("30s") Duration probeAfter,
        @DefaultValue("20s") Duration probeTimeout) {

    /** XEP-0198 §5: the server's resumption time for a client that asked for {@code requested} (null: none). */
    public Duration resumptionFor(Duration requested) {
        Duration wanted = requested == null || requested.isZero() || requested.isNegative() ? maxResumption : requested;
        return wanted.compareTo(maxResumptionLimit) > 0 ? maxResumptionLimit : wanted;
    }

    public boolean probing() {
        return !probeAfter.isZero() && !probeAfter.isNegative();
    }

    /** Defaults, for contexts built without Spring (tests). */
    public static StreamManagementProperties defaults() {
        return new StreamManagementProperties(true, Duration.ofMinutes(10), Duration.ofMinutes(10), 5, 500,
                Duration.ofSeconds(30), Duration.ofSeconds(20));
    }
}
