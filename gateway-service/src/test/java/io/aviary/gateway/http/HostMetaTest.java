package io.aviary.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostMetaTest {

    @Test
    void derivesWebSocketSchemesFromTheBase() {
        assertThat(HostMeta.under("https://xmpp.example.com"))
                .isEqualTo(new HostMeta("https://xmpp.example.com/http-bind", "wss://xmpp.example.com/xmpp-websocket"));
        assertThat(HostMeta.under("http://127.0.0.1:5280"))
                .isEqualTo(new HostMeta("http://127.0.0.1:5280/http-bind", "ws://127.0.0.1:5280/xmpp-websocket"));
    }

    @Test
    void escapesWhatAHostHeaderCouldInject() {
        HostMeta meta = HostMeta.under("http://evil'\"<x>");
        assertThat(meta.xrd()).contains("href='http://evil&apos;&quot;&lt;x&gt;/http-bind'");
        assertThat(meta.json()).contains("\"href\":\"http://evil'\\\"<x>/http-bind\"");
    }
}
