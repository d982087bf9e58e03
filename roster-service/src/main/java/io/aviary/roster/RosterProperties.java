package io.aviary.roster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Roster limits, under {@code aviary.roster} (RFC 6121 §2.3.3 lets a server set them).
 *
 * @param maxItems       {@code aviary.roster.max-items}: items one roster may hold, pending
 *                       inbound requests included (default 1000); a roster set or subscription
 *                       request beyond it gets {@code not-allowed}
 * @param maxNameLength  {@code aviary.roster.max-name-length}: longest item name in characters
 *                       (default 256); longer gets {@code not-acceptable}
 * @param maxGroupLength {@code aviary.roster.max-group-length}: longest group name in characters
 *                       (default 256); longer gets {@code not-acceptable}
 * @param maxGroups      {@code aviary.roster.max-groups}: groups one item may be in (default 32);
 *                       more gets {@code not-acceptable}
 */
@ConfigurationProperties(prefix = "aviary.roster")
public record RosterProperties(
        @DefaultValue("1000") int maxItems,
        @DefaultValue("256") int maxNameLength,
        @DefaultValue("256") int maxGroupLength,
        @DefaultValue("32") int maxGroups) {

    public RosterProperties {
        if (maxItems < 1 || maxNameLength < 1 || maxGroupLength < 1 || maxGroups < 0) {
            throw new IllegalArgumentException("aviary.roster limits must be positive");
        }
    }
}
