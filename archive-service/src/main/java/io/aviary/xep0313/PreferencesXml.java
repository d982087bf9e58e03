package io.aviary.xep0313;

import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0441 preferences in XML: {@code <prefs xmlns='urn:xmpp:mam:2' default='always|never|roster'><always><jid/>…
 * </always><never><jid/>…</never></prefs>}.
 */
final class PreferencesXml {

    private PreferencesXml() {
    }

    static XmlElement toXml(ArchivePreferences preferences) {
        return XmlElement.builder("prefs", ArchiveQueryRequest.NAMESPACE)
                .attribute("default", preferences.defaultPolicy().name().toLowerCase(Locale.ROOT))
                .child(list("always", preferences.always())).child(list("never", preferences.never())).build();
    }

    private static XmlElement list(String name, Set<String> jids) {
        XmlElement.Builder list = XmlElement.builder(name, ArchiveQueryRequest.NAMESPACE);
        jids.stream().sorted().forEach(jid -> list.textChild("jid", jid));
        return list.build();
    }

    /** A set's preferences; {@code bad-request} when the default is missing or unknown or a JID does not parse. */
    static ArchivePreferences parse(XmlElement prefs) {
        ArchivePreferences.Default policy;
        try {
            policy = ArchivePreferences.Default.valueOf(
                    String.valueOf(prefs.attributeOrNull("default")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MamRequestException(StanzaErrorCondition.BAD_REQUEST, "default must be always, never or roster");
        }
        return new ArchivePreferences(policy, jids(prefs, "always"), jids(prefs, "never"));
    }

    private static Set<String> jids(XmlElement prefs, String list) {
        Set<String> jids = new LinkedHashSet<>();
        prefs.child(list, ArchiveQueryRequest.NAMESPACE).ifPresent(l -> l.elements()
                .filter(e -> e.is("jid", ArchiveQueryRequest.NAMESPACE)).forEach(e -> jids.add(jid(e.text()))));
        return jids;
    }

    private static String jid(String text) {
        try {
            return JidCreate.from(text.strip()).toString();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new MamRequestException(StanzaErrorCondition.BAD_REQUEST, "not a JID: " + text);
        }
    }
}
