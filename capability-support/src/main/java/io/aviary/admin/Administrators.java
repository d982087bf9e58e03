package io.aviary.admin;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The server's administrators: {@code aviary.admins}, a list of bare JIDs (default none). They may run the XEP-0133
 * commands and log in to the admin API with their XMPP password; nobody else may.
 *
 * @param admins bare JIDs of the administrators, e.g. {@code aviary.admins[0]=admin@example.com}
 */
@ConfigurationProperties("aviary")
public record Administrators(List<String> admins) {

    public Administrators {
        admins = admins == null ? List.of() : List.copyOf(admins);
    }

    /** The administrators as normalised bare JIDs; a malformed entry fails the start. */
    public Set<EntityBareJid> jids() {
        return admins.stream().map(JidCreate::entityBareFromOrThrowUnchecked).collect(Collectors.toUnmodifiableSet());
    }
}
