package io.aviary.gateway.sm;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.gateway.stream.Transport;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.resumption.ForwardingResumptionStore;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The gateway's own answers to a resumable session (an IQ result it gives itself) are queued in the resumption store
 * without the connection's thread waiting for it, a Redis round trip in a cluster, on which every connection of that
 * event loop would wait; each is written in its place once the store has answered.
 */
class OwnAnswersTest {

    private static final EntityFullJid JULIET = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony");

    private final InProcessBus bus = new InProcessBus(1);
    private final AnsweredLater store = new AnsweredLater();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StreamManagement sm = new StreamManagement(StreamManagementProperties.defaults(), store,
            new InMemorySessionRegistry(), bus, "gw1", new SmMetrics(meters),
            new UndeliveredMessages(bus, meters, Clock.systemUTC()), Clock.systemUTC());
    private final Connection connection = new Connection();
    private ManagedStream stream;

    @BeforeEach
    void enableResumption() {
        stream = new ManagedStream(sm, connection);
        XmlElement enabled = stream.enable(XmlElement.builder("enable", SmElements.NAMESPACE).attribute("resume", "true")
                .build());
        assertThat(enabled.attributeOrNull("resume")).isEqualTo("true");
    }

    @AfterEach
    void stop() {
        sm.close();
        bus.close();
    }

    @Test
    void anAnswerWaitsForItsPlaceInTheQueueWithoutHoldingTheConnectionsThread() {
        stream.deliver(iqResult("ping-1"), 0);

        assertThat(store.blockingAppends).as("appends the connection's thread waited for").isZero();
        assertThat(connection.written).isEmpty();

        // A routed delivery the router queued after it arrives first: it waits for the answer.
        store.answer(1L);
        stream.deliver(message("after the answer"), 2);
        assertThat(connection.written).isEmpty();

        connection.runTasks();
        assertThat(connection.written).containsExactly("ping-1", "after the answer");
    }

    @Test
    void anAnswerTheStoreCouldNotQueueIsWrittenAllTheSame() {
        stream.deliver(iqResult("ping-2"), 0);

        store.fail(new IllegalStateException("Redis did not answer within the command timeout"));
        connection.runTasks();

        assertThat(connection.written).containsExactly("ping-2");
        assertThat(connection.failure).isNull();
    }

    @Test
    void anAnswerToASessionWhoseQueueIsFullEndsTheStreamWithResourceConstraint() {
        stream.deliver(iqResult("ping-3"), 0);

        store.answer(ResumptionStore.FULL);
        connection.runTasks();

        assertThat(connection.written).isEmpty();
        assertThat(connection.failure).isNotNull();
        assertThat(connection.failure.condition()).isEqualTo(StreamErrorCondition.RESOURCE_CONSTRAINT);
    }

    private static XmlElement iqResult(String id) {
        return XmlElement.builder("iq", "jabber:client").attribute("type", "result").attribute("id", id)
                .attribute("to", JULIET.toString()).build();
    }

    private static XmlElement message(String body) {
        return XmlElement.builder("message", "jabber:client").attribute("id", body).attribute("to", JULIET.toString())
                .textChild("body", body).build();
    }

    /** The in-process store, but for appends: answered when the test says, as Redis answers on its own thread. */
    private static final class AnsweredLater extends ForwardingResumptionStore {

        private CompletableFuture<Long> pending;
        private int blockingAppends;

        AnsweredLater() {
            super(new InMemoryResumptionStore());
        }

        void answer(long position) {
            pending.complete(position);
        }

        void fail(Throwable failure) {
            pending.completeExceptionally(failure);
        }

        @Override
        public CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        public long append(String id, XmlElement stanza) {
            blockingAppends++;
            return super.append(id, stanza);
        }
    }

    /** The client stream: what it wrote (each stanza's id), how it failed, and its thread's tasks, run on demand. */
    private static final class Connection implements StreamHost, Transport {

        private final List<String> written = new ArrayList<>();
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private StreamError failure;

        void runTasks() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }

        @Override
        public Transport transport() {
            return this;
        }

        @Override
        public String connectionId() {
            return "c1";
        }

        @Override
        public EntityFullJid jid() {
            return JULIET;
        }

        @Override
        public void writeStanza(XmlElement stanza, XmlElement nonza) {
            written.add(stanza.attributeOrNull("id"));
        }

        @Override
        public void fail(StreamError error, XmlElement applicationCondition) {
            failure = error;
        }

        @Override
        public void connectionLost() {
        }

        @Override
        public void resumed(EntityFullJid jid) {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public boolean isSecure() {
            return true;
        }

        @Override
        public ChannelBindings channelBindings() {
            return ChannelBindings.none();
        }

        @Override
        public boolean canStartTls() {
            return false;
        }

        @Override
        public void write(String xml) {
        }

        @Override
        public void startTls(String proceed) {
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public void close() {
        }
    }
}
