package io.aviary.admin.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web admin console ({@code aviary.admin.console.*}), served at {@code /admin/console/} on the management port.
 *
 * @param enabled           whether the console is served (default true; it also needs the admin API)
 * @param idleTimeout       how long a login lasts without a request (default 30 minutes)
 * @param secureCookie      whether the session cookie carries {@code Secure} (default true; browsers accept it on
 *                          {@code http://localhost}, other plain-HTTP hosts need a TLS proxy or this set to false)
 * @param maxFailedLogins   failed logins from one address within {@code failedLoginWindow} after which further
 *                          attempts get 429 until the window has passed (default 5)
 * @param failedLoginWindow the window of {@code maxFailedLogins} (default 5 minutes)
 */
@ConfigurationProperties("aviary.admin.console")
public record ConsoleProperties(Boolean enabled, Duration idleTimeout, Boolean secureCookie, Integer maxFailedLogins,
                                Duration failedLoginWindow) {

    public ConsoleProperties {
        enabled = enabled == null || enabled;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(30) : idleTimeout;
        secureCookie = secureCookie == null || secureCookie;
        maxFailedLogins = maxFailedLogins == null ? 5 : maxFailedLogins;
        failedLoginWindow = failedLoginWindow == null ? Duration.ofMinutes(5) : failedLoginWindow;
    }
}
