package io.aviary.gateway.sasl2;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;

/**
 * A session feature a client may enable inside its XEP-0386 {@code <bind xmlns='urn:xmpp:bind:0'/>} request (XEP-0386
 * §3.2), such as carbons or stream management: the extension point for inline features. Each is a Spring bean; the
 * gateway lists its {@link #var()} in {@code <bind><inline>} and hands it the request element it {@link #requests}.
 *
 * <p>Inline stream management (XEP-0198 {@code <enable xmlns='urn:xmpp:sm:3'/>} inside {@code <bind>}) is meant to be
 * one: its {@link #enable} enables SM on {@link BoundSession#stream()} and returns {@code <enabled/>} (or
 * {@code <failed/>}), which XEP-0386 §3.2 puts into {@code <bound/>}. Resumption ({@code <resume/>} directly in
 * {@code <authenticate/>}, answered in {@code <success/>}) is not covered here: it replaces the binding, so it needs
 * a hook in {@link Sasl2Negotiation} before the bind.
 */
public interface Bind2Feature {

    /** The feature's disco feature or namespace, advertised as {@code <feature var/>} (XEP-0386 §3.1). */
    String var();

    /** Whether {@code child}, a child of the client's {@code <bind/>}, asks for this feature. */
    boolean requests(XmlElement child);

    /**
     * Enables the feature for the session just bound, before {@code <success/>} is written; runs on a stream worker,
     * so it may block briefly (registry calls). The result, if any, goes into {@code <bound/>}.
     */
    Optional<XmlElement> enable(BoundSession session, XmlElement request);
}
