package io.aviary.session;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import io.aviary.xmpp.xml.XmlElement;
import java.util.function.Function;
import org.jxmpp.jid.EntityBareJid;

/**
 * What follows an account's deletion from the account store, whoever asked for it (the user by XEP-0077 cancellation,
 * an administrator by XEP-0133 or the admin API): {@code account.removed} is emitted server-wide, so rosters, offline
 * messages, archives, PEP and uploads go with it, and each of the account's sessions ends with {@code not-authorized}
 * after a last stanza of the caller's choosing.
 */
public final class AccountRemoval {

    private final SessionRegistry sessions;
    private final StanzaBus bus;
    private final EventSink events;

    public AccountRemoval(SessionRegistry sessions, StanzaBus bus, EventSink events) {
        this.sessions = sessions;
        this.bus = bus;
        this.events = events;
    }

    /** {@code account} is gone from the account store; {@code lastWord} is what each of its sessions reads last. */
    public void removed(EntityBareJid account, Function<SessionEntry, XmlElement> lastWord) {
        events.emit(Events.ACCOUNT_REMOVED, account);
        for (SessionEntry session : sessions.sessions(account)) {
            SessionControl.send(bus, session, lastWord.apply(session), BusMessage.CONTROL_ACCOUNT_REMOVED);
        }
    }
}
