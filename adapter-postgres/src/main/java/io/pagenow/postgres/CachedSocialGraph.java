package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Friends and share settings per user, kept for a bounded time: every presence update asks for
 * both, and they live in the user service's tables, which another system changes without telling
 * this one. An entry older than the TTL is read again in the background on its next use (that
 * use, and every other until the new value arrives, still gets the old one, so the presence path
 * never waits for the database); an entry older than twice the TTL is dropped, so a value is at
 * most that stale even when the refreshes fail. With nothing cached a failed read fails the call
 * ({@code StoreUnavailableException}), as without the cache. Profiles ({@link #usersById}) are
 * read through.
 *
 * <p>Entries loaded together fall due together, so the refreshes are batched
 * ({@link BatchedReads}): those asked for before the running batch starts are one query per
 * table, not one per user and table. First uses, and a single user's profile (the known-user
 * check of every new caller), are batched the same way on threads of their own, which the
 * caller waits for: in a connect storm of new users every socket needs the user's friends and
 * profile, and one query per socket queued them for the pool until its wait ran out (503).
 */
final class CachedSocialGraph implements SocialGraph {

    /** Users kept at most; the least recently used go first. */
    static final long MAXIMUM_USERS = 100_000;

    /** Users per refresh query at most, so one query's array and answer stay small. */
    static final int REFRESH_BATCH = 1_000;

    private final SocialGraph source;
    private final AsyncLoadingCache<String, Set<String>> friends;
    private final AsyncLoadingCache<String, Optional<ShareSettings>> shareSettings;
    private final BatchedReads<Optional<UserInfo>> profiles;
    private final Duration wait;

    /**
     * @param ttl        positive
     * @param refresh    where the batched background reads run (they borrow pooled connections)
     * @param firstReads where the batched reads a caller waits for run (they borrow pooled connections)
     * @param wait       how long a caller waits for its batch: past it, the answer is that the store is busy
     */
    CachedSocialGraph(PostgresSocialGraph source, Duration ttl, Ticker ticker, Executor refresh, Executor firstReads,
                      Duration wait) {
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("the cache TTL must be positive");
        }
        this.source = source;
        this.wait = wait;
        this.friends = perUser(ttl, ticker, new BatchedReads<>(source::friendsOfEach, firstReads, REFRESH_BATCH),
                new BatchedReads<>(source::friendsOfEach, refresh, REFRESH_BATCH));
        this.shareSettings = perUser(ttl, ticker, new BatchedReads<>(source::shareSettingsOfEach, firstReads, REFRESH_BATCH),
                new BatchedReads<>(source::shareSettingsOfEach, refresh, REFRESH_BATCH));
        this.profiles = new BatchedReads<>(users -> {
            Map<String, UserInfo> found = source.usersById(users);
            Map<String, Optional<UserInfo>> each = new HashMap<>();
            users.forEach(user -> each.put(user, Optional.ofNullable(found.get(user))));
            return each;
        }, firstReads, REFRESH_BATCH);
    }

    /**
     * A first use waits for its batch; refreshes join one in the background. Asynchronous, so a
     * load waiting for its batch holds no lock of the cache's map that another user's load needs.
     */
    private static <V> AsyncLoadingCache<String, V> perUser(Duration ttl, Ticker ticker, BatchedReads<V> loads,
                                                            BatchedReads<V> refreshes) {
        return Caffeine.newBuilder()
                .maximumSize(MAXIMUM_USERS)
                .refreshAfterWrite(ttl)
                .expireAfterWrite(ttl.multipliedBy(2))
                .ticker(ticker)
                // Reads run on the batches' executors; what is left for Caffeine's (its upkeep) is cheap.
                .executor(Runnable::run)
                .buildAsync(new AsyncCacheLoader<String, V>() {
                    @Override
                    public CompletableFuture<V> asyncLoad(String userId, Executor executor) {
                        return loads.read(userId);
                    }

                    @Override
                    public CompletableFuture<V> asyncReload(String userId, V oldValue, Executor executor) {
                        return refreshes.read(userId);
                    }
                });
    }

    @Override
    public Set<String> friendsOf(String userId) {
        return awaited(friends.get(userId));
    }

    @Override
    public boolean areFriends(String userA, String userB) {
        return !userA.equals(userB) && friendsOf(userA).contains(userB);
    }

    @Override
    public Map<String, UserInfo> usersById(Collection<String> userIds) {
        if (userIds.size() != 1) {
            return source.usersById(userIds);
        }
        String userId = userIds.iterator().next();
        return awaited(profiles.read(userId)).map(info -> Map.of(userId, info)).orElse(Map.of());
    }

    /**
     * The batch's answer, or its failure as it was thrown. A batch not done within the wait is
     * queued behind others (each bounded by the store's own call timeout): the store answers, this
     * node asks more of it than it serves in time.
     */
    private <V> V awaited(CompletableFuture<V> read) {
        try {
            return read.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("social graph read failed", e.getCause());
        } catch (TimeoutException e) {
            throw StoreUnavailableException.busy(PostgresFailures.STORE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(PostgresFailures.STORE, e);
        }
    }

    @Override
    public Optional<ShareSettings> shareSettings(String userId) {
        return awaited(shareSettings.get(userId));
    }
}
