/**
 * Server side of SASL (RFC 4422) as XMPP uses it (RFC 6120 §6): SCRAM-SHA-1/256/512 with and
 * without channel binding (RFC 5802, RFC 7677, RFC 5929, RFC 9266) and PLAIN (RFC 4616).
 *
 * <p>Framework-free and transport-agnostic: the stream layer base64-decodes {@code <auth/>} and
 * {@code <response/>} payloads, feeds them to a {@link io.aviary.xmpp.sasl.SaslServerMechanism}
 * obtained from {@link io.aviary.xmpp.sasl.SaslMechanisms}, and turns the returned
 * {@link io.aviary.xmpp.sasl.SaslStep} or {@link io.aviary.xmpp.sasl.SaslFailure} into
 * {@code <challenge/>}, {@code <success/>} or {@code <failure/>}. Credentials come from a
 * {@link io.aviary.xmpp.sasl.CredentialLookup}; the server stores only SCRAM keys, never passwords.
 */
package io.aviary.xmpp.sasl;
