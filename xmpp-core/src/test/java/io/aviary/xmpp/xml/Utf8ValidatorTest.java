package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Feeds {@code bytes} to a fresh validator split at {@code split} (0: in one piece). */
    static StreamErrorCondition conditionOf(byte[] bytes, int split) {
        Utf8Validator validator = new Utf8Validator();
        XmppStreamException e = catchThrowableOfType(XmppStreamException.class, () -> {
            validator.check(bytes, 0, split);
            validator.check(bytes, split, bytes.length);
        });
        return e == null ? null : e.error().condition();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "C0 80",          // overlong U+0000
            "C0 AF",          // overlong '/'
            "C1 BF",          // overlong U+007F
            "E0 80 AF",       // overlong '/', three bytes
            "E0 9F BF",       // overlong U+07FF
            "F0 80 80 AF",    // overlong '/', four bytes
            "F0 8F BF BF",    // overlong U+FFFF
            "F4 90 80 80",    // U+110000, beyond Unicode
            "F5 80 80 80",
            "FF",
            "ED A0 80",       // high surrogate D800
            "ED BF BF",       // low surrogate DFFF
            "ED A0 BD ED B8 80", // CESU-8 surrogate pair
            "80",             // continuation without a lead byte
            "C3 28",          // missing continuation
            "E2 82 28",
            "F0 9F 98 41",
    })
    void invalidSequencesAreUnsupportedEncodingWhereverTheyAreSplit(String sequence) {
        byte[] bytes = hex("61 " + sequence + " 62");
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(conditionOf(bytes, split)).as("split at %d", split)
                    .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "00", "01", "08", "0B", "0C", "1F", // C0 controls other than tab, LF, CR
            "EF BF BE", "EF BF BF",              // U+FFFE, U+FFFF
    })
    void wellEncodedNonXmlCharactersAreNotWellFormed(String sequence) {
        byte[] bytes = hex("61 " + sequence + " 62");
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(conditionOf(bytes, split)).as("split at %d", split)
                    .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }
    }

    @Test
    void validTextOfEveryLengthIsAcceptedWhereverItIsSplit() {
        byte[] bytes = ("\t\r\n a é € 中文 😀 \uD7FF \uE000 \uFFFD \uFEFF \uDBFF\uDFFF")
                .getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(conditionOf(bytes, split)).as("split at %d", split).isNull();
        }
    }

    @Test
    void aFourByteEmojiFedOneByteAtATimeIsAccepted() {
        Utf8Validator validator = new Utf8Validator();
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> {
            for (int i = 0; i < emoji.length; i++) {
                validator.check(emoji, i, i + 1);
            }
        }).doesNotThrowAnyException();
    }
}
