package io.pagenow.lambda;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The role's credentials from the container credentials endpoint ({@link CredentialsEndpoint}).
 * They expire, so they are fetched again ahead of it, on the schedule the SDK's
 * {@code ContainerCredentialsProvider} keeps: a caller after the prefetch time (15 minutes before
 * the expiry, at most an hour after the fetch) fetches them again while the others keep using the
 * current ones, and a failure there keeps them; from a minute before the expiry (stale) every caller
 * waits for new ones, and a failure fails the call.
 */
final class ContainerCredentials implements RoleCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerCredentials.class);
    private static final Duration STALE_BEFORE_EXPIRY = Duration.ofMinutes(1);
    private static final Duration PREFETCH_BEFORE_EXPIRY = Duration.ofMinutes(15);
    private static final Duration PREFETCH_AT_THE_LATEST = Duration.ofHours(1);

    private final CredentialsEndpoint endpoint;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Held held;

    /** Credentials as fetched, and when to fetch them again. */
    private record Held(AwsCredentialsIdentity credentials, Instant prefetchAt, Optional<Instant> staleAt) {
    }

    ContainerCredentials(CredentialsEndpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    @Override
    public AwsCredentialsIdentity current() {
        Held now = held;
        Instant time = clock.instant();
        if (isStale(now, time)) {
            return fetchWaiting(time);
        }
        if (!time.isBefore(now.prefetchAt()) && fetching.tryLock()) {
            try {
                if (held == now) {
                    held = fetch();
                }
            } catch (RuntimeException e) {
                LOG.warn("Fetching new container credentials failed; the current ones are used until {}: {}",
                        now.staleAt().map(Instant::toString).orElse("they fail"), e.getMessage());
            } finally {
                fetching.unlock();
            }
        }
        return held.credentials();
    }

    /** Nothing usable is held: every caller waits for the one fetch. */
    private AwsCredentialsIdentity fetchWaiting(Instant time) {
        fetching.lock();
        try {
            Held now = held;
            if (isStale(now, time)) {
                now = fetch();
                held = now;
            }
            return now.credentials();
        } finally {
            fetching.unlock();
        }
    }

    private static boolean isStale(Held held, Instant time) {
        return held == null || held.staleAt().map(stale -> !time.isBefore(stale)).orElse(false);
    }

    private Held fetch() {
        CredentialsEndpoint.Fetched fetched = endpoint.fetch();
        Instant prefetch = clock.instant().plus(PREFETCH_AT_THE_LATEST);
        Optional<Instant> expiry = fetched.expiry();
        if (expiry.isPresent() && expiry.get().minus(PREFETCH_BEFORE_EXPIRY).isBefore(prefetch)) {
            prefetch = expiry.get().minus(PREFETCH_BEFORE_EXPIRY);
        }
        return new Held(fetched.credentials(), prefetch, expiry.map(e -> e.minus(STALE_BEFORE_EXPIRY)));
    }
}
