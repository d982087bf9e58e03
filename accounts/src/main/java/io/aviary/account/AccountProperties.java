package io.aviary.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Account settings, under {@code aviary.accounts}.
 *
 * @param scramIterations {@code aviary.accounts.scram-iterations}: PBKDF2 iterations for the SCRAM
 *     salted keys of new and changed passwords (default 4096, the minimum RFC 5802 §5.1 suggests).
 *     Existing accounts keep the count they were created with until their password changes.
 */
@ConfigurationProperties(prefix = "aviary.accounts")
public record AccountProperties(@DefaultValue("4096") int scramIterations) {

    public AccountProperties {
        if (scramIterations < 1) {
            throw new IllegalArgumentException("aviary.accounts.scram-iterations must be positive: " + scramIterations);
        }
    }
}
