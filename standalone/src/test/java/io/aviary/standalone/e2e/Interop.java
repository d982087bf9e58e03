package io.aviary.standalone.e2e;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The steps the interop tests with other servers share: chat, wait for a message, and a presence subscription both
 * ways. Each failure message ends with the peer server's log ({@code peerLog}), which is where the reason usually is.
 */
final class Interop {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Interop() {
    }

    static void chat(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    /** The next message with {@code body} in {@code inbox} (others, such as room messages, are skipped). */
    static Message received(BlockingQueue<Message> inbox, String body, Supplier<String> peerLog)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = inbox.poll(200, TimeUnit.MILLISECONDS);
            if (message != null && body.equals(message.getBody())) {
                return message;
            }
        }
        throw new AssertionError("'" + body + "' did not arrive; the peer's log:\n" + peerLog.get());
    }

    static void awaitTrue(Callable<Boolean> condition, String what, Supplier<String> peerLog) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "; the peer's log:\n" + peerLog.get());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Each of {@code ours} and {@code theirs} asks to see the other's presence and accepts the other's request (RFC 6121
     * §3); both rosters end with subscription both, and each sees the other available.
     */
    static void subscribeBothWays(XMPPTCPConnection ours, XMPPTCPConnection theirs, Supplier<String> peerLog)
            throws Exception {
        Roster ourRoster = Roster.getInstanceFor(ours);
        Roster theirRoster = Roster.getInstanceFor(theirs);
        ourRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        theirRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        BareJid ourJid = ours.getUser().asBareJid();
        BareJid theirJid = theirs.getUser().asBareJid();

        ourRoster.createItemAndRequestSubscription(theirJid, "them", null);
        theirRoster.createItemAndRequestSubscription(ourJid, "us", null);

        awaitTrue(() -> ourRoster.getEntry(theirJid) != null && ourRoster.getEntry(theirJid).getType() == ItemType.both,
                ourJid + "'s roster has " + theirJid + " with subscription both", peerLog);
        awaitTrue(() -> theirRoster.getEntry(ourJid) != null && theirRoster.getEntry(ourJid).getType() == ItemType.both,
                theirJid + "'s roster has " + ourJid + " with subscription both", peerLog);
        awaitTrue(() -> ourRoster.getPresence(theirJid).isAvailable(), ourJid + " sees " + theirJid + " available", peerLog);
        awaitTrue(() -> theirRoster.getPresence(ourJid).isAvailable(), theirJid + " sees " + ourJid + " available", peerLog);
    }
}
