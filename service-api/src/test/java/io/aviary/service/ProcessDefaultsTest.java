package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessDefaultsTest {

    private final String before = System.getProperty(ProcessDefaults.LEAK_DETECTION);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ProcessDefaults.LEAK_DETECTION);
        } else {
            System.setProperty(ProcessDefaults.LEAK_DETECTION, before);
        }
    }

    @Test
    void switchesNettysLeakDetectorOffWhenTheOperatorHasNotChosen() {
        System.clearProperty(ProcessDefaults.LEAK_DETECTION);
        ProcessDefaults.apply();
        assertThat(System.getProperty(ProcessDefaults.LEAK_DETECTION)).isEqualTo("disabled");
    }

    @Test
    void leavesTheOperatorsChoice() {
        System.setProperty(ProcessDefaults.LEAK_DETECTION, "paranoid");
        ProcessDefaults.apply();
        assertThat(System.getProperty(ProcessDefaults.LEAK_DETECTION)).isEqualTo("paranoid");
    }
}
