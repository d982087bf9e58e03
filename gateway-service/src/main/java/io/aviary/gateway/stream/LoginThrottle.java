package io.aviary.gateway.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles password guessing (design.md: throttled failed logins) in three layers:
 * <ul>
 * <li>per client address and account ({@code failed-logins-per-minute}): one address guessing one account is
 *     stopped, while other accounts' logins from the same address (a shared NAT address) still go through;</li>
 * <li>per account from any address ({@code auth.failed-logins-per-account} per minute): guesses spread over many
 *     addresses are stopped too. While it holds, the account's owner cannot log in either: a throttle that let
 *     the right password through would tell the guesser which one is right;</li>
 * <li>per address whatever the accounts, as ejabberd's mod_fail2ban ({@code auth.ban-after-failures} within
 *     {@code auth.ban-window}): the address is banned for {@code auth.ban-duration}, and its streams end as they
 *     open. This stops one address trying one password on many accounts.</li>
 * </ul>
 * Refused attempts are answered {@code temporary-auth-failure} (RFC 6120 §6.5.11) before any password is checked.
 */
public final class LoginThrottle {

    private static final int SWEEP_ABOVE = 100_000;

    private final int perAddressAndAccount;
    private final int perAccount;
    private final int banAfter;
    private final long banMillis;
    private final Clock clock;
    private final WindowCounter addressAndAccountFailures;
    private final WindowCounter accountFailures;
    private final WindowCounter addressFailures;
    private final Map<String, Long> bannedUntil = new ConcurrentHashMap<>();

    public LoginThrottle(int failedLoginsPerMinute, AuthProperties limits, Clock clock) {
        this.perAddressAndAccount = failedLoginsPerMinute;
        this.perAccount = limits.failedLoginsPerAccount();
        this.banAfter = limits.banAfterFailures();
        this.banMillis = limits.banDuration().toMillis();
        this.clock = clock;
        this.addressAndAccountFailures = new WindowCounter(Duration.ofMinutes(1), clock);
        this.accountFailures = new WindowCounter(Duration.ofMinutes(1), clock);
        this.addressFailures = new WindowCounter(limits.banWindow(), clock);
    }

    /** Whether streams from {@code address} are refused for now. */
    public boolean banned(String address) {
        Long until = bannedUntil.get(address);
        if (until == null) {
            return false;
        }
        if (clock.millis() < until) {
            return true;
        }
        bannedUntil.remove(address, until);
        return false;
    }

    /** Whether {@code address} may try to log in to {@code account} now. */
    boolean allows(String address, String account) {
        return !banned(address)
                && accountFailures.count(account) < perAccount
                && addressAndAccountFailures.count(pair(address, account)) < perAddressAndAccount;
    }

    /** A failed login from {@code address}; {@code account} is null when the attempt named none we could read. */
    void failed(String address, String account) {
        if (account != null) {
            addressAndAccountFailures.add(pair(address, account));
            accountFailures.add(account);
        }
        if (addressFailures.add(address) >= banAfter) {
            long now = clock.millis();
            bannedUntil.put(address, now + banMillis);
            if (bannedUntil.size() > SWEEP_ABOVE) {
                bannedUntil.values().removeIf(until -> until <= now);
            }
        }
    }

    private static String pair(String address, String account) {
        return address + '\u0000' + account;
    }
}
