package io.aviary.roster;

class InMemoryRosterInterestTest extends RosterInterestContract {

    @Override
    protected RosterInterest newInterest() {
        return new InMemoryRosterInterest();
    }
}
