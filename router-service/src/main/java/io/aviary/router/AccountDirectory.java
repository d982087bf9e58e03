package io.aviary.router;

import org.jxmpp.jid.EntityBareJid;

/** Whether an account of the served domain exists (RFC 6121 §8.5.1): the router's only question about accounts. */
@FunctionalInterface
public interface AccountDirectory {

    boolean exists(EntityBareJid account);
}
