package io.aviary.xep0191;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0191 §4 JID matching. */
class BlockListTest {

    private static boolean blocks(String item, String address) throws Exception {
        return new BlockList(Set.of(item)).blocks(JidCreate.from(address));
    }

    @Test
    void matchingFollowsTheFourRules() throws Exception {
        assertThat(blocks("romeo@montague.net/orchard", "romeo@montague.net/orchard")).isTrue();
        assertThat(blocks("romeo@montague.net/orchard", "romeo@montague.net/garden")).isFalse();
        assertThat(blocks("romeo@montague.net/orchard", "romeo@montague.net")).isFalse();

        assertThat(blocks("romeo@montague.net", "romeo@montague.net/garden")).isTrue();
        assertThat(blocks("romeo@montague.net", "romeo@montague.net")).isTrue();
        assertThat(blocks("romeo@montague.net", "benvolio@montague.net")).isFalse();

        assertThat(blocks("montague.net/bot", "montague.net/bot")).isTrue();
        assertThat(blocks("montague.net/bot", "romeo@montague.net/bot")).isFalse();

        assertThat(blocks("montague.net", "montague.net")).isTrue();
        assertThat(blocks("montague.net", "romeo@montague.net/orchard")).isTrue();
        assertThat(blocks("montague.net", "juliet@capulet.com")).isFalse();
        assertThat(blocks("montague.net", "chat.montague.net")).isTrue();
        assertThat(blocks("montague.net", "romeo@chat.montague.net/orchard")).isTrue();
        assertThat(blocks("montague.net", "notmontague.net")).isFalse();
    }

    @Test
    void itemsAreNormalisedAndBadOnesRefused() {
        assertThat(BlockList.normalize("Romeo@Montague.NET")).isEqualTo("romeo@montague.net");
        assertThat(BlockList.normalize("")).isNull();
        assertThat(BlockList.normalize("@@")).isNull();
        assertThat(BlockList.normalize(null)).isNull();
    }
}
