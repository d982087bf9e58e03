package io.aviary.session.redis;

import io.aviary.session.SessionEntry;
import org.jxmpp.jid.EntityFullJid;

/**
 * A session entry as a hash value: {@code gateway TAB connection TAB priority TAB available(0|1) TAB carbons(0|1)
 * TAB resumption id (empty: none) TAB hibernated(0|1)}. The full JID is the hash key and field, so it is not
 * repeated. The Lua scripts read the first two fields and rewrite the others in place; entries written before the
 * last three fields existed (four fields) still decode, as a session without carbons or resumption.
 */
final class EntryCodec {

    private static final char SEPARATOR = '\t';

    /** Field numbers (from 1, as in Lua) that {@code update-entry.lua} rewrites. */
    static final String PRIORITY = "3";
    static final String AVAILABLE = "4";
    static final String CARBONS = "5";
    static final String RESUMPTION = "6";
    static final String HIBERNATED = "7";

    private EntryCodec() {
    }

    static String encode(SessionEntry entry) {
        requireNoSeparator(entry.gatewayId(), "gateway id");
        requireNoSeparator(entry.connectionId(), "connection id");
        String resumption = entry.resumption() == null ? "" : entry.resumption();
        requireNoSeparator(resumption, "resumption id");
        return entry.gatewayId() + SEPARATOR + entry.connectionId() + SEPARATOR
                + entry.priority() + SEPARATOR + flag(entry.available()) + SEPARATOR + flag(entry.carbons()) + SEPARATOR
                + resumption + SEPARATOR + flag(entry.hibernated());
    }

    static SessionEntry decode(EntityFullJid jid, String value) {
        String[] fields = value.split(String.valueOf(SEPARATOR), -1);
        if (fields.length != 4 && fields.length != 7) {
            throw new IllegalStateException("malformed registry entry for " + jid + ": " + value);
        }
        SessionEntry entry = new SessionEntry(jid, fields[0], fields[1], Integer.parseInt(fields[2]), fields[3].equals("1"));
        if (fields.length == 4) {
            return entry;
        }
        return entry.withCarbons(fields[4].equals("1"))
                .withResumption(fields[5].isEmpty() ? null : fields[5])
                .withHibernated(fields[6].equals("1"));
    }

    /** A field's value as {@code update-entry.lua} writes it. */
    static String flag(boolean value) {
        return value ? "1" : "0";
    }

    static void requireResumptionId(String resumptionId) {
        if (resumptionId == null || resumptionId.isEmpty()) {
            throw new IllegalArgumentException("a resumption id must not be empty");
        }
        requireNoSeparator(resumptionId, "resumption id");
    }

    private static void requireNoSeparator(String value, String what) {
        if (value.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must not contain a tab: " + value);
        }
    }
}
