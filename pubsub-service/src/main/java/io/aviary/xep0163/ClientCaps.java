package io.aviary.xep0163;

import io.aviary.xmpp.disco.CapsVerification;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;

/**
 * The XEP-0115 {@code <c/>} of a client's presence: the hash function, the software's node and the verification
 * string of its disco#info.
 */
record ClientCaps(String hash, String node, String ver) {

    static final String NAMESPACE = "http://jabber.org/protocol/caps";

    /**
     * The caps of a presence, if it has some this server can check: the legacy form without {@code hash} (§1.2, "ext"
     * bundles) is not, nor is a hash function it does not implement. Values with tabs or line ends are refused: they
     * cannot be a base64 hash, and this is what lets them be kept as lines ({@link ContactResources}).
     */
    static Optional<ClientCaps> of(XmlElement presence) {
        return presence.child("c", NAMESPACE).flatMap(c -> {
            String hash = c.attributeOrNull("hash");
            String node = c.attributeOrNull("node");
            String ver = c.attributeOrNull("ver");
            if (!CapsVerification.supports(hash) || node == null || ver == null || ver.isEmpty()
                    || plain(node) || plain(ver)) {
                return Optional.empty();
            }
            return Optional.of(new ClientCaps(hash, node, ver));
        });
    }

    private static boolean plain(String value) {
        return value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
    }

    /** The node a disco#info request asks about (§6.2: {@code node#ver}). */
    String discoNode() {
        return node + "#" + ver;
    }
}
