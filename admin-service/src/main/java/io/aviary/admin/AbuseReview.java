package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.xep0377.AbuseReport;
import io.aviary.xep0377.AbuseReports;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The operators' review of abuse reports (XEP-0377): the open reports, and what an operator does with one: lock the
 * reported account when it is one of ours (its sessions end, it cannot log in), or dismiss the report. Every action is
 * audited and resolves the report, saying who did what.
 */
public final class AbuseReview {

    /** What became of an action on a report. */
    public enum Outcome { DONE, NO_SUCH_REPORT, NOT_A_LOCAL_ACCOUNT }

    private final AbuseReports reports;
    private final AdminOperations operations;

    public AbuseReview(AbuseReports reports, AdminOperations operations) {
        this.reports = reports;
        this.operations = operations;
    }

    public List<AbuseReport> open(int limit) {
        return reports.open(limit);
    }

    /** Locks the reported sender, which must be an account of this domain. */
    public Outcome lockSender(String actor, String reportId) {
        Optional<AbuseReport> report = reports.find(reportId);
        if (report.isEmpty()) {
            return Outcome.NO_SUCH_REPORT;
        }
        EntityBareJid sender = localAccount(report.get().reported());
        if (sender == null) {
            return Outcome.NOT_A_LOCAL_ACCOUNT;
        }
        Accounts.Result locked = operations.setLocked(actor, sender.getLocalpart().toString(), true);
        if (!locked.ok()) {
            return Outcome.NOT_A_LOCAL_ACCOUNT;
        }
        reports.resolve(reportId, "sender locked by " + actor);
        operations.audit(actor, "report-lock-sender", reportId, sender.toString());
        return Outcome.DONE;
    }

    public Outcome dismiss(String actor, String reportId) {
        if (!reports.resolve(reportId, "dismissed by " + actor)) {
            return Outcome.NO_SUCH_REPORT;
        }
        operations.audit(actor, "report-dismiss", reportId, "dismissed");
        return Outcome.DONE;
    }

    private EntityBareJid localAccount(String reported) {
        try {
            Jid jid = JidCreate.from(reported);
            EntityBareJid account = jid.asEntityBareJidIfPossible();
            return account != null && account.asDomainBareJid().equals(operations.domain())
                    && operations.exists(account.getLocalpart().toString()) ? account : null;
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
