package io.aviary.gateway.http.bosh;

/** The terminal binding conditions this connection manager sends (XEP-0124 §17.2) and their legacy HTTP codes (§17.1). */
enum BoshCondition {
    BAD_REQUEST("bad-request", 400),
    ITEM_NOT_FOUND("item-not-found", 404),
    POLICY_VIOLATION("policy-violation", 403),
    REMOTE_STREAM_ERROR("remote-stream-error", 200);

    private final String value;
    private final int legacyStatus;

    BoshCondition(String value, int legacyStatus) {
        this.value = value;
        this.legacyStatus = legacyStatus;
    }

    String value() {
        return value;
    }

    int legacyStatus() {
        return legacyStatus;
    }
}
