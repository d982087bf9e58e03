package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DomainPolicyTest {

    @Test
    void everyDomainButTheDeniedOnesWithoutAnAllowList() {
        DomainPolicy policy = new DomainPolicy(List.of(), List.of("Evil.test"));
        assertThat(policy.allows("a.test")).isTrue();
        assertThat(policy.allows("evil.test")).isFalse();
    }

    @Test
    void anAllowListIsExclusiveAndDenyWins() {
        DomainPolicy policy = new DomainPolicy(List.of("a.test", "b.test"), List.of("b.test"));
        assertThat(policy.allows("a.test")).isTrue();
        assertThat(policy.allows("b.test")).isFalse();
        assertThat(policy.allows("c.test")).isFalse();
    }
}
