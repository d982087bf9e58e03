package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.xep0191.BlockedDomains;
import io.aviary.xep0377.AbuseReport;
import io.aviary.xep0377.AbuseReports;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The operators' review of abuse reports (XEP-0377): the open reports, and what an operator does with one: lock the
 * reported account when it is one of ours (its sessions end, it cannot log in), block the reported sender's domain
 * when it is remote, or dismiss the report. Every action is
 * audited and resolves the report, saying who did what.
 */
public final class AbuseReview {

    /** What became of an action on a report. */
    public enum Outcome { DONE, NO_SUCH_REPORT, NOT_A_LOCAL_ACCOUNT, NOT_A_REMOTE_DOMAIN }

    private final AbuseReports reports;
    private final AdminOperations operations;
    private final BlockedDomains blockedDomains;

    public AbuseReview(AbuseReports reports, AdminOperations operations, BlockedDomains blockedDomains) {
        this.reports = reports;
        this.operations = operations;
        this.blockedDomains = blockedDomains;
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

    /**
     * Blocks the reported sender's whole domain for the server ({@link BlockedDomains}): nothing from or to it is
     * routed any more. Only a remote domain: this server's domain and its subdomains (its own services) cannot be.
     */
    public Outcome blockDomain(String actor, String reportId) {
        Optional<AbuseReport> report = reports.find(reportId);
        if (report.isEmpty()) {
            return Outcome.NO_SUCH_REPORT;
        }
        String domain = remoteDomain(report.get().reported());
        if (domain == null) {
            return Outcome.NOT_A_REMOTE_DOMAIN;
        }
        blockedDomains.block(domain);
        reports.resolve(reportId, "domain " + domain + " blocked by " + actor);
        operations.audit(actor, "report-block-domain", reportId, domain);
        return Outcome.DONE;
    }

    /** The remote domains blocked for the whole server, by name. */
    public Set<String> blockedDomains() {
        return new TreeSet<>(blockedDomains.domains());
    }

    /** Lifts a domain's block; false when it was not blocked. */
    public boolean unblockDomain(String actor, String domain) {
        String normalised = domain.strip().toLowerCase(Locale.ROOT);
        boolean unblocked = blockedDomains.unblock(normalised);
        operations.audit(actor, "unblock-domain", normalised, unblocked ? "unblocked" : "not_blocked");
        return unblocked;
    }

    public Outcome dismiss(String actor, String reportId) {
        if (!reports.resolve(reportId, "dismissed by " + actor)) {
            return Outcome.NO_SUCH_REPORT;
        }
        operations.audit(actor, "report-dismiss", reportId, "dismissed");
        return Outcome.DONE;
    }

    private String remoteDomain(String reported) {
        Jid jid = JidCreate.fromOrNull(reported);
        if (jid == null) {
            return null;
        }
        String domain = jid.getDomain().toString();
        String ours = operations.domain().toString();
        return domain.equals(ours) || domain.endsWith("." + ours) ? null : domain;
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
