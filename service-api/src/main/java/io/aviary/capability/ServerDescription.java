package io.aviary.capability;

import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the server says about itself, computed from the declarations of every capability it runs: its disco#info
 * (XEP-0030), an account's disco#info, and the stream features after authentication, with the XEP-0115 caps
 * verification string filled in where the caps capability declares its {@code <c/>}.
 */
public record ServerDescription(List<Declaration> declarations) {

    public static final String SERVER_NAME = "Aviary";
    public static final String CAPS_NAMESPACE = "http://jabber.org/protocol/caps";

    public ServerDescription {
        declarations = List.copyOf(declarations);
    }

    /** Identity {@code server/im} plus the declared identities, and exactly the declared features. */
    public DiscoInfo discoInfo() {
        List<DiscoInfo.Identity> identities = new ArrayList<>();
        identities.add(new DiscoInfo.Identity("server", "im", SERVER_NAME));
        Set<String> features = new TreeSet<>();
        for (Declaration declaration : declarations) {
            identities.addAll(declaration.identities());
            features.addAll(declaration.serverFeatures());
        }
        return new DiscoInfo(identities, features);
    }

    /** The services at addresses of their own (XEP-0030: the items of the domain's disco#items), in declaration order. */
    public List<HostedService> services() {
        return declarations.stream().flatMap(d -> d.services().stream()).toList();
    }

    /** An account's disco#info (XEP-0030 at a bare JID): identity {@code account/registered} and the account features. */
    public DiscoInfo accountDiscoInfo() {
        Set<String> features = new TreeSet<>();
        List<DiscoInfo.Identity> identities = new ArrayList<>();
        identities.add(new DiscoInfo.Identity("account", "registered", null));
        for (Declaration declaration : declarations) {
            features.addAll(declaration.accountFeatures());
            identities.addAll(declaration.accountIdentities());
        }
        return new DiscoInfo(identities, features);
    }

    /**
     * The declared stream features. XEP-0115 §6.3: the server's {@code <c/>} carries the verification string of its
     * whole disco#info, which only the sum of the declarations knows, so it is added here.
     */
    public List<XmlElement> streamFeatures() {
        List<XmlElement> features = new ArrayList<>();
        String ver = null;
        for (Declaration declaration : declarations) {
            for (XmlElement feature : declaration.streamFeatures()) {
                if (feature.is("c", CAPS_NAMESPACE)) {
                    ver = ver != null ? ver : discoInfo().capsVerification();
                    feature = feature.withAttribute("ver", ver);
                }
                features.add(feature);
            }
        }
        return features;
    }

    /** The {@code node#ver} a client asks disco#info about after seeing the server's caps (XEP-0115 §6.2), if declared. */
    public Optional<String> capsNode() {
        return declarations.stream().flatMap(d -> d.streamFeatures().stream()).filter(f -> f.is("c", CAPS_NAMESPACE))
                .findFirst().map(c -> c.attributeOrNull("node") + "#" + discoInfo().capsVerification());
    }
}
