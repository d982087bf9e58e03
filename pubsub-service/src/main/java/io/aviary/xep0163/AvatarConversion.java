package io.aviary.xep0163;

import io.aviary.xep0060.PublishedItem;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * XEP-0398 conversion between XEP-0084 avatars (the PEP nodes {@code urn:xmpp:avatar:data} and
 * {@code urn:xmpp:avatar:metadata}) and the PHOTO of the account's XEP-0054 vCard, which the roster tier keeps. The two
 * tiers tell each other by IQs from the account's bare JID: {@link #TO_PEP} carries a vCard's photo here,
 * {@link #TO_VCARD} carries a PEP avatar there ({@code <photo type='image/png'>base64</photo>}, empty: no photo).
 */
final class AvatarConversion {

    static final String DATA = "urn:xmpp:avatar:data";
    static final String METADATA = "urn:xmpp:avatar:metadata";
    /** XEP-0398 §3: the account converts. */
    static final String FEATURE = "urn:xmpp:pep-vcard-conversion:0";
    /** The vCard capability hands a client's new photo to PEP. */
    static final String TO_PEP = "urn:aviary:avatar-conversion:pep";
    /** PEP hands a client's new avatar to the vCard capability. */
    static final String TO_VCARD = "urn:aviary:avatar-conversion:vcard";

    /** A photo: its type and its bytes in base64. */
    record Photo(String type, String base64) {

        /** XEP-0084 §4.2: the item id is the hex SHA-1 of the image's bytes. */
        String id() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(Base64.getMimeDecoder().decode(base64)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-1", e);
            }
        }

        int bytes() {
            return Base64.getMimeDecoder().decode(base64).length;
        }

        PublishedItem dataItem(String owner, Instant now) {
            return new PublishedItem(id(), owner,
                    XmlElement.builder("data", DATA).text(base64.replaceAll("\\s", "")).build().toXml(), now);
        }

        PublishedItem metadataItem(String owner, Instant now) {
            return new PublishedItem(id(), owner, XmlElement.builder("metadata", METADATA)
                    .child(XmlElement.builder("info", METADATA).attribute("bytes", Integer.toString(bytes()))
                            .attribute("id", id()).attribute("type", type).build()).build().toXml(), now);
        }

        XmlElement element(String namespace) {
            return XmlElement.builder("photo", namespace).attribute("type", type).text(base64).build();
        }
    }

    private AvatarConversion() {
    }

    /** The photo of a hand-over from the vCard capability; empty for "no photo"; a photo that is no base64, too. */
    static Optional<Photo> photo(XmlElement handOver) {
        String base64 = handOver.text().strip();
        if (base64.isEmpty()) {
            return Optional.empty();
        }
        try {
            Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String type = handOver.attributeOrNull("type");
        return Optional.of(new Photo(type == null || type.isEmpty() ? "image/png" : type, base64));
    }

    /**
     * The metadata item's info of the image PEP has the data of (XEP-0084 §4.2: the info without {@code url}), as
     * (id, type); empty metadata (§4.5, the avatar disabled) gives none.
     */
    static Optional<XmlElement> info(PublishedItem metadata) {
        if (metadata.payload() == null) {
            return Optional.empty();
        }
        return XmlFragment.parse(metadata.payload()).elements()
                .filter(e -> e.is("info", METADATA) && e.attributeOrNull("url") == null && e.attributeOrNull("id") != null)
                .findFirst();
    }

    /** The base64 of a data item. */
    static Optional<String> base64(PublishedItem data) {
        return Optional.ofNullable(data.payload()).map(XmlFragment::parse).filter(e -> e.is("data", DATA))
                .map(XmlElement::text).map(String::strip).filter(text -> !text.isEmpty());
    }
}
