package io.aviary.bench.load;

import io.aviary.client.ClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void readsTypedOptionsAndReportsUnknownOnes() {
        CommandLine cli = CommandLine.parse("chat", "--users", "200", "--rates", "500,1000", "--step=10s",
                "--starttls", "false", "--typo", "x");

        assertThat(cli.command()).isEqualTo("chat");
        assertThat(cli.integer("users", 1)).isEqualTo(200);
        assertThat(cli.integers("rates", List.of())).containsExactly(500, 1000);
        assertThat(cli.duration("step", Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(cli.bool("starttls", true)).isFalse();
        assertThat(cli.duration("grace", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(cli.unknown(Set.of("users", "rates", "step", "starttls"))).containsExactly("--typo");
    }

    @Test
    void rejectsMalformedArguments() {
        assertThatThrownBy(() -> CommandLine.parse("--users", "3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandLine.parse("idle", "users")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandLine.parse("idle", "--users")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandLine.parse("idle", "--gc", "maybe").bool("gc", true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDurationsAndTargets() {
        assertThat(CommandLine.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(CommandLine.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(CommandLine.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(CommandLine.parseDuration("7")).isEqualTo(Duration.ofSeconds(7));

        List<InetSocketAddress> targets = ClientSettings.parseTargets("gw1:5222, 10.0.0.2:15222");
        assertThat(targets).extracting(InetSocketAddress::getHostString).containsExactly("gw1", "10.0.0.2");
        assertThat(targets).extracting(InetSocketAddress::getPort).containsExactly(5222, 15222);
        assertThatThrownBy(() -> ClientSettings.parseTargets("nohost")).isInstanceOf(IllegalArgumentException.class);
    }
}
