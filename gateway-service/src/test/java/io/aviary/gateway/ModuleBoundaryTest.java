package io.aviary.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The gateway module depends on no state-service module: their classes are not even on its class path. */
class ModuleBoundaryTest {

    @Test
    void noStateServiceIsOnTheGatewaysClassPath() {
        for (String stateService : new String[] {"io.aviary.roster.RosterServiceApplication",
                "io.aviary.session.SessionServiceApplication", "io.aviary.router.RouterServiceApplication"}) {
            assertThatThrownBy(() -> Class.forName(stateService)).as(stateService)
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
