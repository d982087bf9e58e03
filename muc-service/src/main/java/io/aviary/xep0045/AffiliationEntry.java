package io.aviary.xep0045;

import java.util.Objects;
import org.jxmpp.jid.BareJid;

/**
 * One user's affiliation with a room, with the nickname registered for it (§7.10) and the reason given by whoever
 * set it (shown in the admin lists, for example why someone is an outcast). {@code nick} and {@code reason} may be
 * null.
 */
public record AffiliationEntry(BareJid user, Affiliation affiliation, String nick, String reason) {

    public AffiliationEntry {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(affiliation, "affiliation");
    }
}
