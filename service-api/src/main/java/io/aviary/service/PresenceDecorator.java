package io.aviary.service;

import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityBareJid;

/**
 * Adds to the available presence an account's resource broadcasts what another capability keeps for the account,
 * before the presence capability stores and sends it (XEP-0398 §4: the XEP-0153 hash of the vCard's photo).
 */
public interface PresenceDecorator {

    /** The presence as it is to be broadcast: {@code presence} itself when there is nothing to add. */
    XmlElement decorate(EntityBareJid account, XmlElement presence);
}
