package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import javax.sql.DataSource;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.jivesoftware.smackx.iqprivate.packet.PrivateData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** XEP-0049: only the owner reads and writes; reserved namespaces, empty queries and the size limit. */
class PrivateStorageEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.private-storage.max-bytes=1024",
                "aviary.private-storage.max-total-bytes=4096", "aviary.private-storage.max-elements=6");
        server.accounts().register("hamlet", "hamlet-secret");
        server.accounts().register("yorick", "yorick-secret");
        server.accounts().register("horatio", "horatio-secret");
        server.accounts().register("laertes", "laertes-secret");
        server.accounts().register("ophelia", "ophelia-secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    @Test
    void theOwnerStoresAndReadsBackOthersSeeNothing() throws Exception {
        XMPPTCPConnection hamlet = login("hamlet");
        XMPPTCPConnection ophelia = login("ophelia");
        try {
            PrivateData nothing = PrivateDataManager.getInstanceFor(hamlet).getPrivateData("exodus", "exodus:prefs");
            assertThat(((DefaultPrivateData) nothing).getNames()).isEmpty();

            DefaultPrivateData prefs = new DefaultPrivateData("exodus", "exodus:prefs");
            prefs.setValue("defaultnick", "Hamlet");
            PrivateDataManager.getInstanceFor(hamlet).setPrivateData(prefs);

            DefaultPrivateData back = (DefaultPrivateData) PrivateDataManager.getInstanceFor(hamlet)
                    .getPrivateData("exodus", "exodus:prefs");
            assertThat(back.getValue("defaultnick")).isEqualTo("Hamlet");

            // Ophelia's own storage under the same key is separate and empty.
            DefaultPrivateData hers = (DefaultPrivateData) PrivateDataManager.getInstanceFor(ophelia)
                    .getPrivateData("exodus", "exodus:prefs");
            assertThat(hers.getNames()).isEmpty();

            // XEP-0049 §3: another user's data, read or written: forbidden.
            var hamletJid = JidCreate.entityBareFrom("hamlet@localhost");
            assertThat(RawIq.errorOf(ophelia, RawIq.get(hamletJid, "query", "jabber:iq:private",
                    "<exodus xmlns='exodus:prefs'/>"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(RawIq.errorOf(ophelia, RawIq.set(hamletJid, "query", "jabber:iq:private",
                    "<exodus xmlns='exodus:prefs'><defaultnick>Macbeth</defaultnick></exodus>")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            DefaultPrivateData unchanged = (DefaultPrivateData) PrivateDataManager.getInstanceFor(hamlet)
                    .getPrivateData("exodus", "exodus:prefs");
            assertThat(unchanged.getValue("defaultnick")).isEqualTo("Hamlet");
        } finally {
            hamlet.disconnect();
            ophelia.disconnect();
        }
    }

    @Test
    void reservedNamespacesEmptyQueriesAndLargeElementsAreNotAcceptable() throws Exception {
        XMPPTCPConnection hamlet = login("hamlet");
        try {
            for (String namespace : new String[] {"jabber:client", "jabber:server", "jabber:iq:private"}) {
                assertThat(RawIq.errorOf(hamlet, RawIq.set(null, "query", "jabber:iq:private",
                        "<prefs xmlns='" + namespace + "'/>"))).as(namespace).isEqualTo(StanzaError.Condition.not_acceptable);
                assertThat(RawIq.errorOf(hamlet, RawIq.get(null, "query", "jabber:iq:private",
                        "<prefs xmlns='" + namespace + "'/>"))).as(namespace).isEqualTo(StanzaError.Condition.not_acceptable);
            }
            assertThat(RawIq.errorOf(hamlet, RawIq.get(null, "query", "jabber:iq:private", "")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(RawIq.errorOf(hamlet, RawIq.set(null, "query", "jabber:iq:private",
                    "<big xmlns='big:data'>" + "x".repeat(2000) + "</big>"))).isEqualTo(StanzaError.Condition.not_acceptable);
        } finally {
            hamlet.disconnect();
        }
    }

    private static RawIq store(String name, int bytesOfText) {
        return RawIq.set(null, "query", "jabber:iq:private",
                "<" + name + " xmlns='quota:test'>" + "x".repeat(bytesOfText) + "</" + name + ">");
    }

    @Test
    void eachAccountHasATotalQuotaInBytes() throws Exception {
        XMPPTCPConnection yorick = login("yorick");
        try {
            for (int i = 0; i < 4; i++) {
                yorick.sendIqRequestAndWaitForResponse(store("e" + i, 900));
            }
            // A fifth element of 900 bytes passes the total of 4096: refused, and nothing of it is kept.
            assertThat(RawIq.errorOf(yorick, store("e4", 900))).isEqualTo(StanzaError.Condition.not_acceptable);
            DefaultPrivateData missing = (DefaultPrivateData) PrivateDataManager.getInstanceFor(yorick)
                    .getPrivateData("e4", "quota:test");
            assertThat(missing.getNames()).isEmpty();
            // Replacing a stored element counts its new size instead of the old one.
            yorick.sendIqRequestAndWaitForResponse(store("e3", 100));
            yorick.sendIqRequestAndWaitForResponse(store("e4", 700));
        } finally {
            yorick.disconnect();
        }
    }

    @Test
    void eachAccountHasAMaximumNumberOfElements() throws Exception {
        XMPPTCPConnection horatio = login("horatio");
        try {
            for (int i = 0; i < 6; i++) {
                horatio.sendIqRequestAndWaitForResponse(store("n" + i, 1));
            }
            assertThat(RawIq.errorOf(horatio, store("n6", 1))).isEqualTo(StanzaError.Condition.not_acceptable);
            horatio.sendIqRequestAndWaitForResponse(store("n5", 2)); // a replacement adds no element
        } finally {
            horatio.disconnect();
        }
    }

    @Test
    void aStoredElementThatCannotBeReadIsAnsweredAsEmpty() throws Exception {
        // However it got there, an element with a character no XML 1.0 document may hold (U+0000).
        JdbcClient.create(server.context().getBean(DataSource.class))
                .sql("INSERT INTO private_storage (username, element_name, namespace, content) VALUES (?, ?, ?, ?)")
                .params("laertes", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'><nick>\u0000</nick></exodus>")
                .update();
        XMPPTCPConnection laertes = login("laertes");
        try {
            DefaultPrivateData read = (DefaultPrivateData) PrivateDataManager.getInstanceFor(laertes)
                    .getPrivateData("exodus", "exodus:prefs");
            assertThat(read.getNames()).isEmpty();
            DefaultPrivateData prefs = new DefaultPrivateData("exodus", "exodus:prefs");
            prefs.setValue("nick", "Laertes");
            PrivateDataManager.getInstanceFor(laertes).setPrivateData(prefs);
            assertThat(((DefaultPrivateData) PrivateDataManager.getInstanceFor(laertes)
                    .getPrivateData("exodus", "exodus:prefs")).getValue("nick")).isEqualTo("Laertes");
        } finally {
            laertes.disconnect();
        }
    }
}
