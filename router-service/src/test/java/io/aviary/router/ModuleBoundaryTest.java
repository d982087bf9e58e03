package io.aviary.router;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The router depends on accounts and blocking, not on a state-service module. */
class ModuleBoundaryTest {

    @Test
    void noStateServiceIsOnTheRoutersClassPath() {
        for (String stateService : new String[] {"io.aviary.roster.RosterServiceApplication",
                "io.aviary.session.SessionServiceApplication"}) {
            assertThatThrownBy(() -> Class.forName(stateService)).as(stateService)
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
