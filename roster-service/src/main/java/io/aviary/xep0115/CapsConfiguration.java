package io.aviary.xep0115;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.ServerDescription;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.xmpp.xml.XmlElement;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0115 Entity Capabilities of the server, switched by {@code aviary.capabilities.caps.enabled}: {@code <c/>} in
 * the stream features after authentication (§6.3), so a client learns the server's features without a disco#info
 * round trip; the verification string is computed from the whole server's declarations ({@link ServerDescription}),
 * and the disco capability answers the {@code node#ver} query. The feature itself is advertised too (§6.3 expects a
 * server that sends caps to say so in disco#info).
 */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("caps")
@EnableConfigurationProperties(CapsProperties.class)
public class CapsConfiguration {

    @Bean
    public Capability capsCapability(CapsProperties properties) {
        XmlElement c = XmlElement.builder("c", ServerDescription.CAPS_NAMESPACE).attribute("hash", "sha-1")
                .attribute("node", properties.node()).build();
        return Capability.of(Declaration.builder("caps").summary("the server's features hashed in its stream features")
                .partial("XEP-0115", "Entity Capabilities", "1.6.0",
                        "the server's caps in stream features (contacts' caps: see pep)")
                .discoFeature(ServerDescription.CAPS_NAMESPACE).streamFeature(c).build(), registrar -> { });
    }
}
