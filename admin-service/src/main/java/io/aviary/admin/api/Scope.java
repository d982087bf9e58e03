package io.aviary.admin.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an API token may do. An administrator's own login (HTTP Basic with its XMPP password) may do everything, and is
 * the only way to create tokens.
 */
public enum Scope {
    USERS_READ("users:read"), USERS_WRITE("users:write"), SESSIONS_READ("sessions:read"),
    SESSIONS_WRITE("sessions:write"), STATS_READ("stats:read"), BROADCAST("broadcast"), AUDIT_READ("audit:read"),
    REPORTS_READ("reports:read"), REPORTS_WRITE("reports:write"), INVITATIONS("invitations"),
    /** The cluster view, capabilities and plugins, and the configuration (secrets masked). */
    SERVER_READ("server:read"),
    ROSTERS_READ("rosters:read"), ROSTERS_WRITE("rosters:write"), ROOMS_READ("rooms:read"), ROOMS_WRITE("rooms:write"),
    PUBSUB_READ("pubsub:read"), PUBSUB_WRITE("pubsub:write");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
