package io.aviary.standalone;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Stops the standalone app before its first bean when it is given a cluster's bus or registry. Its tiers meet on the
 * in-process bus whatever {@code aviary.bus.type} says, so a jar started with the cluster profile, or pointed at Kafka
 * or at a Redis registry shared with another process, looked like a node of that cluster while it delivered only to
 * its own connections: a session another process had put in the shared registry got nothing, and nothing said so. A
 * cluster runs each tier's own jar (README, "Run the cluster").
 */
final class ClusterSettingsRefused implements BeanFactoryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        refuse(environment, "aviary.bus.type", "kafka");
        refuse(environment, "aviary.registry.type", "redis");
    }

    private static void refuse(Environment environment, String key, String clusterValue) {
        if (clusterValue.equals(environment.getProperty(key))) {
            throw new IllegalStateException(key + "=" + clusterValue + " (from the cluster profile or the settings) is a"
                    + " cluster's; the standalone app runs every tier on its in-process bus and registry and would"
                    + " deliver nothing to sessions of other processes. Run a cluster from the tiers' own jars"
                    + " (README, \"Run the cluster\") or start this one without that setting.");
        }
    }
}
