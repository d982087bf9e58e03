package io.aviary.xep0045;

import java.util.Objects;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A hat (XEP-0317) an owner or admin put on a user in a room: its URI names it, its title is shown. Kept with the
 * room's configuration as {@link #stored()} values of a hidden field, one per hat.
 *
 * @param wearer the user's bare JID (hats follow the user into every session and nick, like affiliations)
 * @param uri    the hat's identity
 * @param title  its name for display
 */
public record Hat(BareJid wearer, String uri, String title) {

    private static final char SEPARATOR = '\t';

    public Hat {
        Objects.requireNonNull(wearer, "wearer");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(title, "title");
        if (uri.isBlank() || uri.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a hat needs a URI without tabs");
        }
        title = title.replace(SEPARATOR, ' ');
    }

    /** The stored value: JIDs and URIs never contain a tab, and titles have theirs replaced. */
    String stored() {
        return wearer + "\t" + uri + "\t" + title;
    }

    static Hat fromStored(String value) {
        String[] parts = value.split("\t", 3);
        return new Hat(JidCreate.bareFromOrThrowUnchecked(parts[0]), parts[1], parts.length > 2 ? parts[2] : "");
    }
}
