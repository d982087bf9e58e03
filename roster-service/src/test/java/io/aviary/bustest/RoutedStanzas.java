package io.aviary.bustest;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a handler under test publishes on the route topic: what the router would get. */
public final class RoutedStanzas {

    private final BlockingQueue<XmlElement> routed = new LinkedBlockingQueue<>();

    public RoutedStanzas(StanzaBus bus) {
        bus.subscribe(Topics.ROUTE, "test", message -> routed.add(message.stanza()));
    }

    /** Everything routed until nothing more came for 300 ms, in order. */
    public List<XmlElement> drain() throws InterruptedException {
        List<XmlElement> all = new ArrayList<>();
        XmlElement next;
        while ((next = routed.poll(300, TimeUnit.MILLISECONDS)) != null) {
            all.add(next);
        }
        return all;
    }
}
