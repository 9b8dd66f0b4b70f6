package io.pagenow.lambda;

import io.pagenow.protocol.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Work done ahead of a function's first event so that the event does not wait for it: at init, the
 * issuer's keys fetched in the background ({@link #fetchKeysInBackground}); before a SnapStart
 * snapshot, each handler's primer run, so that the classes its first event needs (parsing, token
 * verification, dispatch, encoding) are loaded, and the keys fetched, in the snapshot rather than in
 * every restored container's first event, as AWS documents for SnapStart.
 */
final class Priming {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    /**
     * An RS256 token naming a key no issuer has: verifying it makes the verifier fetch the issuer's
     * keys, which is all a warm-up or a primer wants; it is then refused, before any store is asked
     * whether its user exists.
     */
    static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Indhcm0tdXAifQ.e30.c2ln";

    /**
     * One event through a handler's own code (parsing, dispatch, encoding, answer) that touches no
     * store and pushes nothing: a request refused for its token, a malformed frame.
     */
    @FunctionalInterface
    interface Primer {
        void prime() throws IOException;
    }

    private final Map<Class<?>, Primer> primers = new ConcurrentHashMap<>();

    /** One per handler class: a handler constructed again replaces its own. */
    void register(Class<?> handler, Primer primer) {
        primers.put(handler, primer);
    }

    /**
     * Fetches the issuer's keys on a background thread while the rest of the container starts and
     * the first event is read: a network wait the first authenticated event would otherwise sit
     * through.
     */
    static void fetchKeysInBackground(Authenticator authenticator) {
        Thread warmUp = new Thread(() -> {
            try {
                authenticator.authenticate(TOKEN);
            } catch (RuntimeException expected) {
                // Refused, as it must be; the keys are cached now (or the first request fetches them).
            }
        }, "warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** Runs every primer. A failing one is only logged: priming saves time, and the snapshot is good without it. */
    void runAll() {
        LOG.info("Priming {} handler(s) before the snapshot: their refused requests below touch no store",
                primers.size());
        for (Map.Entry<Class<?>, Primer> primer : primers.entrySet()) {
            try {
                primer.getValue().prime();
            } catch (Exception e) {
                LOG.warn("Priming {} failed: {}", primer.getKey().getSimpleName(), e.toString());
            }
        }
    }
}
