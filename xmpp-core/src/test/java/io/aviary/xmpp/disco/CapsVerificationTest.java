package io.aviary.xmpp.disco;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlFragment;
import org.junit.jupiter.api.Test;

/** The examples of XEP-0115 §5.2 and §5.3, and the §5.4 rules that make a result unverifiable. */
class CapsVerificationTest {

    private static final String SIMPLE = "<query xmlns='http://jabber.org/protocol/disco#info'>"
            + "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
            + "<feature var='http://jabber.org/protocol/caps'/>"
            + "<feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/>"
            + "<feature var='http://jabber.org/protocol/muc'/></query>";

    private static final String COMPLEX = "<query xmlns='http://jabber.org/protocol/disco#info'>"
            + "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
            + "<identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>"
            + "<feature var='http://jabber.org/protocol/caps'/>"
            + "<feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/>"
            + "<feature var='http://jabber.org/protocol/muc'/>"
            + "<x xmlns='jabber:x:data' type='result'>"
            + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
            + "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
            + "<field var='os'><value>Mac</value></field>"
            + "<field var='os_version'><value>10.5.1</value></field>"
            + "<field var='software'><value>Psi</value></field>"
            + "<field var='software_version'><value>0.11</value></field></x></query>";

    @Test
    void theSimpleExampleOfSection52() {
        assertThat(CapsVerification.verificationString(XmlFragment.parse(SIMPLE), "sha-1"))
                .contains("QgayPKawpkPSDYmwT/WM94uAlu0=");
        assertThat(CapsVerification.verifies(XmlFragment.parse(SIMPLE), "sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0="))
                .isTrue();
    }

    @Test
    void theComplexExampleOfSection53WithLanguagesAndAForm() {
        assertThat(CapsVerification.verificationString(XmlFragment.parse(COMPLEX), "sha-1"))
                .contains("q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    @Test
    void aChangedFeatureOrAnotherHashDoesNotVerify() {
        String changed = SIMPLE.replace("protocol/muc", "protocol/tune+notify");
        assertThat(CapsVerification.verifies(XmlFragment.parse(changed), "sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0="))
                .isFalse();
        assertThat(CapsVerification.verifies(XmlFragment.parse(SIMPLE), "sha-256", "QgayPKawpkPSDYmwT/WM94uAlu0="))
                .isFalse();
        assertThat(CapsVerification.verificationString(XmlFragment.parse(SIMPLE), "sha-256")).isPresent();
    }

    @Test
    void unknownHashesAndDuplicatesAreNotVerifiable() {
        assertThat(CapsVerification.verificationString(XmlFragment.parse(SIMPLE), "whirlpool")).isEmpty();
        assertThat(CapsVerification.supports("whirlpool")).isFalse();
        String twice = SIMPLE.replace("</query>", "<feature var='http://jabber.org/protocol/muc'/></query>");
        assertThat(CapsVerification.verificationString(XmlFragment.parse(twice), "sha-1")).isEmpty();
        String twoTypes = COMPLEX.replace("<value>urn:xmpp:dataforms:softwareinfo</value>",
                "<value>urn:xmpp:dataforms:softwareinfo</value><value>urn:other</value>");
        assertThat(CapsVerification.verificationString(XmlFragment.parse(twoTypes), "sha-1")).isEmpty();
    }
}
