package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.roster.SubscriptionState.Subscription;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The transitions against the state tables of RFC 6121 Appendix A. States are written as in the
 * RFC: None, None+PendingOut ("None + Pending Out"), None+PendingIn, None+PendingOut+In, To,
 * To+PendingIn, From, From+PendingOut, Both; "+PreApproved" marks a pre-approval (§3.4).
 */
class SubscriptionStateTest {

    static SubscriptionState parse(String text) {
        String[] parts = text.split("\\+");
        Subscription subscription = Subscription.valueOf(parts[0].toUpperCase(Locale.ROOT));
        boolean out = text.contains("PendingOut");
        boolean in = text.contains("PendingIn") || text.contains("PendingOut+In");
        return new SubscriptionState(subscription, out, in, text.contains("PreApproved"));
    }

    private static void check(UnaryOperator<SubscriptionState> transition, String before, String after) {
        assertThat(transition.apply(parse(before))).as(before).isEqualTo(parse(after));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.2.1, user's server, outbound subscribe
            "None, None+PendingOut", "None+PendingOut, None+PendingOut", "None+PendingIn, None+PendingOut+In",
            "None+PendingOut+In, None+PendingOut+In", "To, To", "To+PendingIn, To+PendingIn",
            "From, From+PendingOut", "From+PendingOut, From+PendingOut", "Both, Both"})
    void outboundSubscribe(String before, String after) {
        check(SubscriptionState::outboundSubscribe, before, after);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.2.1, contact's server, inbound subscribe
            "None, None+PendingIn", "None+PendingOut, None+PendingOut+In", "None+PendingIn, None+PendingIn",
            "None+PendingOut+In, None+PendingOut+In", "To, To+PendingIn", "To+PendingIn, To+PendingIn",
            "From, From", "From+PendingOut, From+PendingOut", "Both, Both",
            // §3.4: a pre-approval grants the request at once
            "None+PreApproved, From", "None+PendingOut+PreApproved, From+PendingOut", "To+PreApproved, Both"})
    void inboundSubscribe(String before, String after) {
        check(SubscriptionState::inboundSubscribe, before, after);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.3.1, user's server, outbound subscribed (approval), and §3.4 pre-approval
            "None, None+PreApproved", "None+PendingOut, None+PendingOut+PreApproved", "None+PendingIn, From",
            "None+PendingOut+In, From+PendingOut", "To, To+PreApproved", "To+PendingIn, Both",
            "From, From", "From+PendingOut, From+PendingOut", "Both, Both"})
    void outboundSubscribed(String before, String after) {
        check(SubscriptionState::outboundSubscribed, before, after);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.3.1, contact's server, inbound subscribed
            "None, None", "None+PendingOut, To", "None+PendingIn, None+PendingIn", "None+PendingOut+In, To+PendingIn",
            "To, To", "To+PendingIn, To+PendingIn", "From, From", "From+PendingOut, Both", "Both, Both"})
    void inboundSubscribed(String before, String after) {
        check(SubscriptionState::inboundSubscribed, before, after);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.2.2 outbound unsubscribe = A.3.2 inbound unsubscribed
            "None, None", "None+PendingOut, None", "None+PendingIn, None+PendingIn", "None+PendingOut+In, None+PendingIn",
            "To, None", "To+PendingIn, None+PendingIn", "From, From", "From+PendingOut, From", "Both, From"})
    void loseTo(String before, String after) {
        check(SubscriptionState::loseTo, before, after);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // A.3.2 outbound unsubscribed = A.2.2 inbound unsubscribe; it also cancels a pre-approval (§3.4)
            "None, None", "None+PendingOut, None+PendingOut", "None+PendingIn, None", "None+PendingOut+In, None+PendingOut",
            "To, To", "To+PendingIn, To", "From, None", "From+PendingOut, None+PendingOut", "Both, To",
            "None+PreApproved, None"})
    void loseFrom(String before, String after) {
        check(SubscriptionState::loseFrom, before, after);
    }

    @Test
    void theServerAnswersForTheContactOnlyWhenTheRequestIsGranted() {
        assertThat(parse("From").inboundSubscribe().autoApproves()).isTrue();
        assertThat(parse("None+PreApproved").inboundSubscribe().autoApproves()).isTrue();
        assertThat(parse("None").inboundSubscribe().autoApproves()).isFalse();
        assertThat(parse("To").inboundSubscribe().autoApproves()).isFalse();
    }

    @Test
    void bothAskingAtOnceEndsInBoth() {
        SubscriptionState romeo = SubscriptionState.NONE.outboundSubscribe();   // Romeo asks Juliet
        SubscriptionState juliet = SubscriptionState.NONE.outboundSubscribe();  // Juliet asks Romeo at once
        juliet = juliet.inboundSubscribe();                                       // Romeo's request reaches Juliet
        romeo = romeo.inboundSubscribe();                                         // and Juliet's reaches Romeo
        romeo = romeo.outboundSubscribed();                                       // both approve
        juliet = juliet.inboundSubscribed();
        juliet = juliet.outboundSubscribed();
        romeo = romeo.inboundSubscribed();

        assertThat(romeo).isEqualTo(new SubscriptionState(Subscription.BOTH, false, false, false));
        assertThat(juliet).isEqualTo(romeo);
    }

    @Test
    void impossibleCombinationsAreNormalised() {
        assertThat(new SubscriptionState(Subscription.BOTH, true, true, true)).isEqualTo(parse("Both"));
        assertThat(new SubscriptionState(Subscription.NONE, false, true, true)).isEqualTo(parse("None+PendingIn"));
    }
}
