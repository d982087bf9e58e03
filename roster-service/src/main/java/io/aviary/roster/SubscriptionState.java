package io.aviary.roster;

import java.util.Locale;

/**
 * The presence subscription between an account and one contact, from the account's side
 * (RFC 6121 §2.1.2.5, Appendix A): the subscription proper plus the two pending requests and a
 * pre-approval (§3.4). Immutable; each method applies one row group of the Appendix A tables and
 * returns the new state, which {@code equals} the old one when the table says "no state change".
 *
 * @param subscription {@code none}, {@code to} (the account sees the contact), {@code from} (the
 *                     contact sees the account) or {@code both}
 * @param pendingOut   the account asked to see the contact and awaits an answer ({@code ask='subscribe'})
 * @param pendingIn    the contact asked to see the account and awaits the account's answer
 * @param preApproved  the account approved a request the contact has not sent yet (§3.4)
 */
public record SubscriptionState(Subscription subscription, boolean pendingOut, boolean pendingIn, boolean preApproved) {

    public enum Subscription {
        NONE, TO, FROM, BOTH;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean hasTo() {
            return this == TO || this == BOTH;
        }

        public boolean hasFrom() {
            return this == FROM || this == BOTH;
        }

        static Subscription of(boolean to, boolean from) {
            return to ? (from ? BOTH : TO) : (from ? FROM : NONE);
        }
    }

    public static final SubscriptionState NONE = new SubscriptionState(Subscription.NONE, false, false, false);

    public SubscriptionState {
        // "To" and "Both" already include what a pending-out asks for, "From" and "Both" what a pending-in asks.
        pendingOut = pendingOut && !subscription.hasTo();
        pendingIn = pendingIn && !subscription.hasFrom();
        preApproved = preApproved && !subscription.hasFrom() && !pendingIn;
    }

    public boolean hasTo() {
        return subscription.hasTo();
    }

    public boolean hasFrom() {
        return subscription.hasFrom();
    }

    /** Nothing left to remember: no subscription, nothing pending, nothing approved. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** A.2.1, user's server: outbound {@code subscribe} marks the request pending unless already subscribed. */
    public SubscriptionState outboundSubscribe() {
        return hasTo() ? this : new SubscriptionState(subscription, true, pendingIn, preApproved);
    }

    /**
     * A.2.1, contact's server: inbound {@code subscribe}. With a pre-approval the request is granted
     * at once (§3.4); when the contact is already subscribed nothing changes (and the server
     * answers {@code subscribed} itself, see {@link #autoApproves()}).
     */
    public SubscriptionState inboundSubscribe() {
        if (hasFrom()) {
            return this;
        }
        if (preApproved) {
            return new SubscriptionState(Subscription.of(hasTo(), true), pendingOut, false, false);
        }
        return new SubscriptionState(subscription, pendingOut, true, false);
    }

    /** A.3.1, user's server: outbound {@code subscribed} grants a pending request, or pre-approves one (§3.4). */
    public SubscriptionState outboundSubscribed() {
        if (pendingIn) {
            return new SubscriptionState(Subscription.of(hasTo(), true), pendingOut, false, false);
        }
        return hasFrom() ? this : new SubscriptionState(subscription, pendingOut, false, true);
    }

    /** A.3.1, contact's server: inbound {@code subscribed} counts only as the answer to a pending request. */
    public SubscriptionState inboundSubscribed() {
        return pendingOut ? new SubscriptionState(Subscription.of(true, hasFrom()), false, pendingIn, preApproved) : this;
    }

    /** A.2.2 outbound {@code unsubscribe} and A.3.2 inbound {@code unsubscribed}: the account no longer sees the contact. */
    public SubscriptionState loseTo() {
        return new SubscriptionState(Subscription.of(false, hasFrom()), false, pendingIn, preApproved);
    }

    /** A.3.2 outbound {@code unsubscribed} and A.2.2 inbound {@code unsubscribe}: the contact no longer sees the account. */
    public SubscriptionState loseFrom() {
        return new SubscriptionState(Subscription.of(hasTo(), false), pendingOut, false, false);
    }

    /**
     * Whether the state after an inbound {@code subscribe} means the server answers
     * {@code subscribed} on the account's behalf: already subscribed (A.2.1 "From", "Both" rows)
     * or pre-approved (§3.4).
     */
    public boolean autoApproves() {
        return hasFrom();
    }
}
