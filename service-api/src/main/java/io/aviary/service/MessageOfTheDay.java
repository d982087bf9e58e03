package io.aviary.service;

import io.aviary.capability.KeyValueStore;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * A message of the day, Openfire's and XEP-0133's: a headline each account receives once per text, the first time one
 * of its resources comes online after the text changed. What was seen is kept in a capability's store, so the rule
 * holds across restarts and instances. Used by the sample plugin (sample-plugins/motd, text from its settings) and by
 * XEP-0133's set-motd (text set by an administrator).
 */
public final class MessageOfTheDay {

    public static final String SUBJECT = "Message of the day";

    private final KeyValueStore seen;

    /** @param seen where each account's digest of the last text it got is kept */
    public MessageOfTheDay(KeyValueStore seen) {
        this.seen = seen;
    }

    /** The headline for {@code resource} if its account has not had {@code text} yet (now recorded as had). */
    public Optional<XmlElement> greeting(DomainBareJid domain, EntityFullJid resource, String text) {
        String owner = resource.asBareJid().toString();
        String digest = digest(text);
        if (seen.get(owner, "digest").filter(digest::equals).isPresent()) {
            return Optional.empty();
        }
        seen.put(owner, "digest", digest);
        return Optional.of(headline(domain, resource.toString(), SUBJECT, text));
    }

    /** A headline from the domain (RFC 6121 §5.2.2: no reply expected, not stored offline). */
    public static XmlElement headline(DomainBareJid domain, String to, String subject, String text) {
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("type", "headline")
                .attribute("from", domain.toString()).attribute("to", to)
                .textChild("subject", subject).textChild("body", text).build();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
