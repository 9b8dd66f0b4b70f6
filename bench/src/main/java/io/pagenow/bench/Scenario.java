package io.pagenow.bench;

import java.util.Map;

/** One measured workload against a running server. */
interface Scenario {

    String name();

    /** The users and friendships it needs in the server's social graph before it starts. */
    Population population();

    /**
     * Runs the workload and returns its figures. Every result holds {@code complete},
     * {@code lost} and {@code errors}; the run fails when any scenario is incomplete or lost
     * or refused anything.
     */
    Map<String, Object> run(Target target) throws Exception;
}
