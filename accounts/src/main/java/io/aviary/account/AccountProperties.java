package io.aviary.account;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Account settings, under {@code aviary.accounts}.
 *
 * @param scramIterations {@code aviary.accounts.scram-iterations}: PBKDF2 iterations for the SCRAM
 *     salted keys of new and changed passwords (default 4096, the minimum RFC 5802 §5.1 suggests).
 *     Existing accounts keep the count they were created with until their password changes.
 * @param tombstoneExpiry {@code aviary.accounts.tombstone-expiry}: how long the name of a removed account is refused to
 *     in-band registration (XEP-0077, also with an invitation), which answers {@code conflict} as for a taken name.
 *     Contacts' rosters, rooms and servers elsewhere may still know the name as the removed user's. Unset (the
 *     default): for ever; {@code 0}: not at all. The operator can always create the account again ({@code user add},
 *     the admin API and console).
 */
@ConfigurationProperties(prefix = "aviary.accounts")
public record AccountProperties(@DefaultValue("4096") int scramIterations, Duration tombstoneExpiry) {

    public AccountProperties {
        if (scramIterations < 1) {
            throw new IllegalArgumentException("aviary.accounts.scram-iterations must be positive: " + scramIterations);
        }
        if (tombstoneExpiry != null && tombstoneExpiry.isNegative()) {
            throw new IllegalArgumentException(
                    "aviary.accounts.tombstone-expiry must not be negative: " + tombstoneExpiry);
        }
    }
}
