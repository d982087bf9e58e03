package io.aviary.gateway.stream;

import java.time.Clock;

/**
 * In-band registrations (XEP-0077) per client address and window ({@code auth.registrations-per-address} per
 * {@code auth.registration-window}), as ejabberd's {@code registration_timeout} and Prosody's
 * mod_register_limits do: one address cannot create accounts by the hundred. A registration reserves its place
 * before the account is created, so concurrent streams from one address cannot overshoot the limit, and gives it
 * back when no account was created (a taken username, say).
 */
public final class RegistrationThrottle {

    private final int perAddress;
    private final WindowCounter registrations;

    public RegistrationThrottle(AuthProperties limits, Clock clock) {
        this.perAddress = limits.registrationsPerAddress();
        this.registrations = new WindowCounter(limits.registrationWindow(), clock);
    }

    /** Takes one of the address's registrations; false when it has none left in this window. */
    boolean reserve(String address) {
        return perAddress <= 0 || registrations.tryAdd(address, perAddress);
    }

    /** The reserved registration created no account. */
    void release(String address) {
        if (perAddress > 0) {
            registrations.remove(address);
        }
    }
}
