package io.aviary.gateway.stream;

/**
 * What a stream tells the traffic shaper of its connection ({@code limits.TrafficShaper}): each first-level element it
 * receives, and SASL success, after which the authenticated rates apply.
 */
public interface InputShaping {

    /** For transports without a shaper of their own (BOSH, which its request limits bound). */
    InputShaping NONE = new InputShaping() {
        @Override
        public void stanzaReceived() {
        }

        @Override
        public void authenticated() {
        }
    };

    /** A first-level element (stanza or negotiation element) was received. */
    void stanzaReceived();

    /** SASL succeeded. */
    void authenticated();
}
