package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests over the bus and their replies: the request goes out for routing with an id naming the replies topic; a
 * result or error from the address asked completes it; a reply from anyone else, an unknown id and silence do not.
 */
class BusRequestsTest {

    private final InProcessBus bus = new InProcessBus(1);
    private final BlockingQueue<Stanza> routed = new LinkedBlockingQueue<>();
    private final BusRequests requests = new BusRequests(bus, Duration.ofMillis(500), 2);

    @BeforeEach
    void start() {
        bus.subscribe(Topics.ROUTE, "router", m -> routed.add(Stanza.of(m.stanza()).orElseThrow()));
        requests.start();
    }

    @AfterEach
    void close() {
        requests.close();
        bus.close();
    }

    private static XmlElement get(String to) {
        return XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "get")
                .attribute("from", "localhost").attribute("to", to)
                .child(XmlElement.empty("rooms", OperatorRequests.NAMESPACE)).build();
    }

    private static void reply(InProcessBus bus, Stanza reply) {
        bus.publish(Topics.REPLIES, "localhost", BusMessage.of(reply.element()));
    }

    @Test
    void theResultFromTheAddressAskedCompletesTheRequest() throws Exception {
        CompletableFuture<Stanza> answer = requests.request(get("conference.localhost"));
        Stanza request = routed.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(Topics.replyTopic(request.id())).isEqualTo(Topics.REPLIES);

        // Someone else answering with the same id is not the service.
        reply(bus, request.iqResult(null).withFrom("mallory@localhost/phone"));
        reply(bus, Stanza.of(request.iqResult(null).element().withAttribute("id", Topics.replyId(Topics.REPLIES,
                "guess"))).orElseThrow());
        assertThat(answer).isNotDone();
        reply(bus, request.iqResult(XmlElement.empty("rooms", OperatorRequests.NAMESPACE)));
        assertThat(answer.get(5, TimeUnit.SECONDS).payload()).isPresent();
    }

    @Test
    void anErrorReplyFailsWithItsCondition() throws Exception {
        CompletableFuture<Stanza> answer = requests.request(get("conference.localhost"));
        Stanza request = routed.poll(5, TimeUnit.SECONDS);
        reply(bus, request.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND));
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BusRequests.Unanswered.class)
                .satisfies(e -> assertThat(((BusRequests.Unanswered) e).condition()).isEqualTo("item-not-found"));
    }

    @Test
    void silenceTimesOutAndTooManyWaitingAreRefused() {
        CompletableFuture<Stanza> first = requests.request(get("conference.localhost"));
        CompletableFuture<Stanza> second = requests.request(get("conference.localhost"));
        assertThatThrownBy(() -> requests.request(get("conference.localhost")).join()).cause()
                .isInstanceOf(BusRequests.Unanswered.class).hasMessageContaining("too many");
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(BusRequests.Unanswered.class).hasMessageContaining("no reply");
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(BusRequests.Unanswered.class);
        // Those timed out no longer count against the limit.
        assertThat(requests.request(get("conference.localhost"))).isNotCompleted();
    }
}
