package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.session.PeriodicTask;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the account removals asked for on the command line ({@code aviary user delete}, which has only the
 * database: {@link Accounts#requestRemoval}) as the admin API deletes an account, so that everything kept for the
 * account goes with it and its sessions end. Looks every {@link #EVERY}, the first time one interval after the start
 * (the capabilities listen for {@code account.removed} by then). In a cluster every admin instance looks; the
 * account's deletion is one row's, so only one of them announces it.
 */
public final class AccountRemovalRequests extends PeriodicTask {

    /** The audit log's actor for these removals. */
    static final String ACTOR = "command line";
    /** A look is one query of a table that is empty nearly always; the command line waits a few seconds for it. */
    static final Duration EVERY = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(AccountRemovalRequests.class);

    private final Accounts accounts;
    private final AdminOperations operations;

    public AccountRemovalRequests(Accounts accounts, AdminOperations operations) {
        super("account-removals", EVERY);
        this.accounts = accounts;
        this.operations = operations;
    }

    /** One look: deletes each account whose removal was requested. */
    @Override
    public void runOnce() {
        for (String username : accounts.removalRequests()) {
            Accounts.Result result = operations.deleteUser(ACTOR, username);
            if (result.ok()) {
                log.info("Deleted account '{}' as asked on the command line", username);
            }
        }
    }
}
