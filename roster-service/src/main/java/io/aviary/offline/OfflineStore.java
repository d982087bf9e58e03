package io.aviary.offline;

import io.aviary.xmpp.xml.XmlElement;
import java.util.List;

/** Messages kept for accounts (normalised localparts) that were offline, oldest first. */
public interface OfflineStore {

    /** Keeps the message unless the account already has {@code quota} stored; false when refused. */
    boolean store(String account, XmlElement message, int quota);

    /** Removes and returns the account's messages, oldest first; concurrent calls never return the same message twice. */
    List<XmlElement> take(String account);

    /** Drops everything kept for the account (account deleted). */
    void deleteAll(String account);
}
