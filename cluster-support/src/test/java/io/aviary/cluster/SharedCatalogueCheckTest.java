package io.aviary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SharedCatalogueCheckTest {

    /** A catalogue other than the in-process one, as the registry module's Redis catalogue is. */
    private static final class SharedCatalogue implements CapabilityCatalogue {
        @Override
        public void publish(String service, List<Declaration> declarations) {
        }

        @Override
        public List<Declaration> declarations() {
            return List.of();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SharedCatalogueCheck.class));

    @Test
    void aClusterTierWithAnInProcessCatalogueDoesNotStart() {
        runner.withPropertyValues("spring.profiles.active=" + ClusterService.PROFILE)
                .withBean(CapabilityCatalogue.class, InMemoryCapabilityCatalogue::new)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("needs the registry module"));
    }

    @Test
    void aClusterTierWithASharedCatalogueStarts() {
        runner.withPropertyValues("spring.profiles.active=" + ClusterService.PROFILE)
                .withBean(CapabilityCatalogue.class, SharedCatalogue::new)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theStandaloneAppKeepsItsInProcessCatalogue() {
        runner.withBean(CapabilityCatalogue.class, InMemoryCapabilityCatalogue::new)
                .run(context -> assertThat(context).hasNotFailed());
    }
}
