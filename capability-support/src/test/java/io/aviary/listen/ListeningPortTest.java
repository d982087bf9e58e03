package io.aviary.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A listener whose port another process holds stops the start with the port and the setting that names it, in
 * Spring Boot's short report, instead of a stack trace with "Address already in use" far down.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListeningPortTest {

    private static ServerSocket held;
    private static EventLoopGroup loop;

    @BeforeAll
    static void holdAPort() throws IOException {
        held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void release() throws IOException {
        held.close();
        loop.shutdownGracefully();
    }

    @Test
    void aPortInUseFailsWithItsSettingAndTheSystemsReason() {
        ListeningPort port = new ListeningPort("aviary.example.port", "127.0.0.1", held.getLocalPort());

        assertThatThrownBy(() -> port.bind(() -> nettyBind(port)))
                .isInstanceOfSatisfying(ListeningPortException.class, e -> {
                    assertThat(e.port()).isEqualTo(port);
                    assertThat(e.reason()).contains("Address already in use");
                    assertThat(e.getMessage()).isEqualTo("cannot listen on 127.0.0.1:" + held.getLocalPort()
                            + " (aviary.example.port): " + e.reason());
                });
    }

    @Test
    void aFailedBindClosesTheListenerItWasForAndKeepsItsOwnFailure() {
        ListeningPort port = new ListeningPort("aviary.example.port", "127.0.0.1", held.getLocalPort());
        AtomicInteger closed = new AtomicInteger();

        assertThatThrownBy(() -> port.bind(() -> nettyBind(port), () -> {
            closed.incrementAndGet();
            throw new IllegalStateException("closing failed too");
        })).isInstanceOfSatisfying(ListeningPortException.class, e -> assertThat(e.getSuppressed())
                .singleElement().satisfies(s -> assertThat(s).hasMessage("closing failed too")));
        assertThat(closed).hasValue(1);

        Channel bound = new ListeningPort("aviary.example.port", "127.0.0.1", 0)
                .bind(() -> nettyBind(new ListeningPort("", "127.0.0.1", 0)), closed::incrementAndGet);
        bound.close().syncUninterruptibly();
        assertThat(closed).as("not closed after a bind that worked").hasValue(1);
    }

    @Test
    void aFreePortIsBoundAsIfDirectly() {
        Channel bound = new ListeningPort("aviary.example.port", "127.0.0.1", 0)
                .bind(() -> nettyBind(new ListeningPort("", "127.0.0.1", 0)));
        try {
            assertThat(bound.isActive()).isTrue();
        } finally {
            bound.close().syncUninterruptibly();
        }
    }

    @Test
    void theStartFailsWithAShortReportNamingPortAndSetting(CapturedOutput output) {
        SpringApplication application = new SpringApplication(HeldPortListener.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--held.port=" + held.getLocalPort()))
                .hasRootCauseInstanceOf(java.net.BindException.class);

        int port = held.getLocalPort();
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("Aviary could not listen on 127.0.0.1:" + port + " (set by aviary.example.port): "
                        + "Address already in use")
                .contains("stop it or set aviary.example.port to a free port")
                // the report replaces the stack trace
                .doesNotContain("at io.netty");
    }

    private static Channel nettyBind(ListeningPort port) {
        return new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(port.host(), port.port()).syncUninterruptibly().channel();
    }

    /** An application with one listener, on the port the test holds. */
    @Configuration(proxyBeanMethods = false)
    static class HeldPortListener {

        @Bean(destroyMethod = "close")
        Channel listener(org.springframework.core.env.Environment environment) {
            ListeningPort port = new ListeningPort("aviary.example.port", "127.0.0.1",
                    environment.getRequiredProperty("held.port", Integer.class));
            return port.bind(() -> nettyBind(port));
        }
    }
}
