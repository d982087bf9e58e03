package io.aviary.xep0115;

import io.aviary.service.FeatureProvider;
import io.aviary.service.StreamFeatureProvider;
import io.aviary.xep0030.DiscoInfo;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * XEP-0115 Entity Capabilities for the server: {@code <c hash='sha-1' node ver/>} in the
 * post-authentication stream features (§6.3, "Stream Feature"), so a client learns the server's
 * features without a disco#info round trip. The server has no data forms in its disco#info, so
 * §5.1 steps 6-8 (extended information) do not apply. The server's disco#info lists the caps
 * namespace as a feature (§9.1, "Discovering Capabilities Support": an entity that supports caps
 * advertises it in disco#info), so the verification string covers it too.
 */
public final class EntityCapabilities implements StreamFeatureProvider, FeatureProvider {

    public static final String NAMESPACE = "http://jabber.org/protocol/caps";

    private final String node;
    private final Supplier<DiscoInfo> info;

    public EntityCapabilities(String node, Supplier<DiscoInfo> info) {
        this.node = node;
        this.info = info;
    }

    @Override
    public Set<String> discoFeatures() {
        return Set.of(NAMESPACE);
    }

    @Override
    public List<XmlElement> streamFeatures() {
        return List.of(XmlElement.builder("c", NAMESPACE)
                .attribute("hash", "sha-1").attribute("node", node).attribute("ver", ver()).build());
    }

    /** The verification string of the server's current disco#info. */
    public String ver() {
        return verificationString(info.get());
    }

    /** True for the {@code node#ver} a client asks disco#info about after seeing our caps (§6.2). */
    public boolean isCapsNode(String discoNode) {
        return (node + "#" + ver()).equals(discoNode);
    }

    /**
     * §5.1: identities sorted by category, type, xml:lang then name, each as
     * {@code category/type/lang/name<}; then the sorted features, each followed by {@code <};
     * SHA-1 of the UTF-8 bytes, Base64-encoded. Our identities carry no xml:lang.
     */
    public static String verificationString(DiscoInfo info) {
        StringBuilder s = new StringBuilder();
        for (DiscoInfo.Identity identity : info.identities()) {
            s.append(identity.category()).append('/').append(identity.type()).append("//")
                    .append(identity.name() == null ? "" : identity.name()).append('<');
        }
        for (String feature : info.features()) {
            s.append(feature).append('<');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
