package io.aviary.standalone;

import io.aviary.service.ProcessDefaults;
import io.aviary.xmpp.jid.Precis;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Aviary in one JVM: gateway, router, session registry and roster service wired to the
 * in-process bus and registry and an embedded database file.
 *
 * <p>{@code java -jar aviary.jar} runs the server; {@code java -jar aviary.jar user ...} is the
 * operator command for accounts on the database, {@code java -jar aviary.jar admin ...} the one for a running server
 * or cluster through its admin API.
 */
@SpringBootApplication
public class AviaryApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        Precis.ensure();
        if (args.length > 0 && args[0].equals("user")) {
            System.exit(UserCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(AdminCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        StopOnSignal.install(SpringApplication.run(AviaryApplication.class, args));
    }
}
