package io.aviary.xep0163;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xep0060.PublishedItem;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** XEP-0411 §3-4: XEP-0402 items and XEP-0048 conferences, each way. */
class BookmarksConversionTest {

    @Test
    void itemsBecomeLegacyConferencesAndBack() {
        PublishedItem item = new PublishedItem("theplay@conference.shakespeare.lit", "juliet@capulet.lit",
                "<conference xmlns='urn:xmpp:bookmarks:1' name='The Play&apos;s the Thing' autojoin='1'>"
                        + "<nick>JC</nick><password>secret</password></conference>", Instant.EPOCH);
        XmlElement storage = BookmarksConversion.legacy(List.of(item));
        XmlElement conference = storage.child("conference", "storage:bookmarks").orElseThrow();
        assertThat(conference.attributeOrNull("jid")).isEqualTo("theplay@conference.shakespeare.lit");
        assertThat(conference.attributeOrNull("name")).isEqualTo("The Play's the Thing");
        assertThat(conference.attributeOrNull("autojoin")).isEqualTo("true");
        assertThat(conference.childText("nick", "storage:bookmarks")).contains("JC");
        assertThat(conference.childText("password", "storage:bookmarks")).contains("secret");

        Map<String, XmlElement> back = BookmarksConversion.conferences(storage);
        assertThat(back).containsOnlyKeys("theplay@conference.shakespeare.lit");
        XmlElement pep = back.get("theplay@conference.shakespeare.lit");
        assertThat(pep.is("conference", "urn:xmpp:bookmarks:1")).isTrue();
        assertThat(pep.attributeOrNull("autojoin")).isEqualTo("true");
        assertThat(pep.childText("nick", "urn:xmpp:bookmarks:1")).contains("JC");
    }

    @Test
    void urlsAndConferencesWithoutJidAreLeftOut() {
        XmlElement storage = XmlFragment.parse("<storage xmlns='storage:bookmarks'><url name='Site' "
                + "url='https://example.org'/><conference name='No JID'/><conference jid='a@muc.example' "
                + "autojoin='false'/></storage>");
        Map<String, XmlElement> conferences = BookmarksConversion.conferences(storage);
        assertThat(conferences).containsOnlyKeys("a@muc.example");
        assertThat(conferences.get("a@muc.example").attributeOrNull("autojoin")).isNull();
    }
}
