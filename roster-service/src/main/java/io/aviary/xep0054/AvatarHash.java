package io.aviary.xep0054;

import io.aviary.service.PresenceDecorator;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0398 §4: the server puts the XEP-0153 hash of the vCard's photo into its users' available presence, unless the
 * client sent a {@code <photo/>} of its own in {@code vcard-temp:x:update} (an empty one says "not ready yet"; a full
 * one it may keep); an {@code <x/>} without {@code <photo/>} is filled in. Without a photo the presence is left alone.
 */
final class AvatarHash implements PresenceDecorator {

    static final String UPDATE = "vcard-temp:x:update";

    private final VCardStore store;

    AvatarHash(VCardStore store) {
        this.store = store;
    }

    @Override
    public XmlElement decorate(EntityBareJid account, XmlElement presence) {
        Optional<XmlElement> update = presence.child("x", UPDATE);
        if (update.flatMap(x -> x.child("photo", UPDATE)).isPresent()) {
            return presence;
        }
        return hash(account.getLocalpart().toString()).map(hash -> presence.withoutChildren("x", UPDATE)
                .withChild(XmlElement.builder("x", UPDATE).textChild("photo", hash).build())).orElse(presence);
    }

    /** XEP-0153 §4.1: the hex SHA-1 of the photo's bytes; none without a readable photo. */
    private Optional<String> hash(String username) {
        return store.get(username).flatMap(xml -> {
            try {
                return XmlFragment.parse(xml).child("PHOTO", VCardTemp.NAMESPACE)
                        .flatMap(photo -> photo.childText("BINVAL", VCardTemp.NAMESPACE))
                        .map(String::strip).filter(binval -> !binval.isEmpty())
                        .map(binval -> Base64.getMimeDecoder().decode(binval));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }).map(bytes -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-1", e);
            }
        });
    }
}
