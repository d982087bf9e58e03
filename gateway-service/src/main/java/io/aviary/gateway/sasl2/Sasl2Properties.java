package io.aviary.gateway.sasl2;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One-round-trip login ({@code aviary.gateway.sasl2.*}): XEP-0388 SASL2 with XEP-0386 Bind2 and XEP-0484 FAST.
 *
 * @param enabled               whether the {@code <authentication xmlns='urn:xmpp:sasl:2'/>} feature is offered next
 *                              to RFC 6120 SASL (default true)
 * @param fast                  whether FAST tokens are offered inline (over TLS only; default true)
 * @param fastTokenLifetime     how long a FAST token is good for (default 14d); a token used in its second half is
 *                              rotated, so a client that logs in at least that often never has to use its password
 * @param fastClientsPerAccount clients (SASL2 user-agent ids) of one account that may hold FAST tokens, each at most
 *                              two (current and newly issued); the one that got its token longest ago makes room
 *                              (default 10)
 */
@ConfigurationProperties(prefix = "aviary.gateway.sasl2")
public record Sasl2Properties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean fast,
        @DefaultValue("14d") Duration fastTokenLifetime,
        @DefaultValue("10") int fastClientsPerAccount) {

    public Sasl2Properties {
        if (fastTokenLifetime.isNegative() || fastTokenLifetime.isZero()) {
            throw new IllegalArgumentException("aviary.gateway.sasl2.fast-token-lifetime must be positive");
        }
        if (fastClientsPerAccount < 1) {
            throw new IllegalArgumentException("aviary.gateway.sasl2.fast-clients-per-account must be positive");
        }
    }
}
