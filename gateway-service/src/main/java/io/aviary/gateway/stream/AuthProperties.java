package io.aviary.gateway.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on logging in and registering ({@code aviary.gateway.auth.*}), next to
 * {@code aviary.gateway.failed-logins-per-minute} (per client address and account) and {@code max-auth-attempts}.
 *
 * @param workers                 threads that run the blocking steps of streams (SASL with its PBKDF2 and account
 *                                lookups, in-band registration, registry bind and unbind) off the event loops;
 *                                default 0: the number of cores
 * @param queue                   such steps waiting for a worker beyond which a login gets
 *                                {@code temporary-auth-failure} and a registration or bind {@code resource-constraint}
 *                                (default 256)
 * @param failedLoginsPerAccount  failed logins for one account per minute, from any address, before every further
 *                                attempt at that account gets {@code temporary-auth-failure} (default 20)
 * @param banAfterFailures        failed logins from one address within {@code banWindow}, whatever the accounts,
 *                                that ban the address (default 20, as ejabberd's mod_fail2ban)
 * @param banWindow               the window those failures are counted in (default 10m)
 * @param banDuration             how long a banned address's new streams end at once with {@code policy-violation}
 *                                (default 1h, as ejabberd's mod_fail2ban)
 * @param registrationsPerAddress in-band registrations (XEP-0077) one address may make within
 *                                {@code registrationWindow}; further ones get {@code not-acceptable} (default 5;
 *                                0 for no limit, e.g. to provision load-test accounts)
 * @param registrationWindow      the window registrations are counted in (default 1h)
 */
@ConfigurationProperties(prefix = "aviary.gateway.auth")
public record AuthProperties(
        @DefaultValue("0") int workers,
        @DefaultValue("256") int queue,
        @DefaultValue("20") int failedLoginsPerAccount,
        @DefaultValue("20") int banAfterFailures,
        @DefaultValue("10m") Duration banWindow,
        @DefaultValue("1h") Duration banDuration,
        @DefaultValue("5") int registrationsPerAddress,
        @DefaultValue("1h") Duration registrationWindow) {

    /** {@link #workers} with 0 resolved to the number of cores. */
    public int workerThreads() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
