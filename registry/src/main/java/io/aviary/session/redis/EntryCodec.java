package io.aviary.session.redis;

import io.aviary.session.SessionEntry;
import org.jxmpp.jid.EntityFullJid;

/**
 * A session entry as a hash value: {@code gateway TAB connection TAB priority TAB available(0|1)}. The
 * full JID is the hash key and field, so it is not repeated. The Lua scripts read the first two fields.
 */
final class EntryCodec {

    private static final char SEPARATOR = '\t';

    private EntryCodec() {
    }

    static String encode(SessionEntry entry) {
        requireNoSeparator(entry.gatewayId(), "gateway id");
        requireNoSeparator(entry.connectionId(), "connection id");
        return entry.gatewayId() + SEPARATOR + entry.connectionId() + SEPARATOR
                + presence(entry.priority(), entry.available());
    }

    /** The part of an entry that a presence update replaces. */
    static String presence(int priority, boolean available) {
        return Integer.toString(priority) + SEPARATOR + (available ? '1' : '0');
    }

    static SessionEntry decode(EntityFullJid jid, String value) {
        String[] fields = value.split(String.valueOf(SEPARATOR), -1);
        if (fields.length != 4) {
            throw new IllegalStateException("malformed registry entry for " + jid + ": " + value);
        }
        return new SessionEntry(jid, fields[0], fields[1], Integer.parseInt(fields[2]), fields[3].equals("1"));
    }

    private static void requireNoSeparator(String value, String what) {
        if (value.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must not contain a tab: " + value);
        }
    }
}
