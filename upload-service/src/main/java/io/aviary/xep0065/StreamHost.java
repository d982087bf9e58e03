package io.aviary.xep0065;

import io.aviary.xmpp.xml.XmlElement;

/** A streamhost as the proxy announces itself (XEP-0065 §6.2): its JID and where its SOCKS5 listener is reached. */
record StreamHost(String jid, String host, int port) {

    XmlElement toQuery() {
        return XmlElement.builder("query", BytestreamsService.NAMESPACE)
                .child(XmlElement.builder("streamhost", BytestreamsService.NAMESPACE).attribute("jid", jid)
                        .attribute("host", host).attribute("port", Integer.toString(port)).build())
                .build();
    }
}
