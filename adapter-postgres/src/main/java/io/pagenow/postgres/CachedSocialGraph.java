package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

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
 * table, not one per user and table.
 */
final class CachedSocialGraph implements SocialGraph {

    /** Users kept at most; the least recently used go first. */
    static final long MAXIMUM_USERS = 100_000;

    /** Users per refresh query at most, so one query's array and answer stay small. */
    static final int REFRESH_BATCH = 1_000;

    private final SocialGraph source;
    private final LoadingCache<String, Set<String>> friends;
    private final LoadingCache<String, Optional<ShareSettings>> shareSettings;

    /**
     * @param ttl     positive
     * @param refresh where the batched background reads run (they borrow pooled connections)
     */
    CachedSocialGraph(PostgresSocialGraph source, Duration ttl, Ticker ticker, Executor refresh) {
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("the cache TTL must be positive");
        }
        this.source = source;
        this.friends = perUser(ttl, ticker, source::friendsOf,
                new BatchedReads<>(source::friendsOfEach, refresh, REFRESH_BATCH));
        this.shareSettings = perUser(ttl, ticker, source::shareSettings,
                new BatchedReads<>(source::shareSettingsOfEach, refresh, REFRESH_BATCH));
    }

    /** A first use reads at once on the caller's thread; refreshes join a batch. */
    private static <V> LoadingCache<String, V> perUser(Duration ttl, Ticker ticker, Function<String, V> load,
                                                       BatchedReads<V> refreshes) {
        return Caffeine.newBuilder()
                .maximumSize(MAXIMUM_USERS)
                .refreshAfterWrite(ttl)
                .expireAfterWrite(ttl.multipliedBy(2))
                .ticker(ticker)
                // Reads run on the batches' executor; what is left for Caffeine's (its upkeep) is cheap.
                .executor(Runnable::run)
                .build(new CacheLoader<String, V>() {
                    @Override
                    public V load(String userId) {
                        return load.apply(userId);
                    }

                    @Override
                    public CompletableFuture<V> asyncReload(String userId, V oldValue, Executor executor) {
                        return refreshes.read(userId);
                    }
                });
    }

    @Override
    public Set<String> friendsOf(String userId) {
        return friends.get(userId);
    }

    @Override
    public boolean areFriends(String userA, String userB) {
        return !userA.equals(userB) && friendsOf(userA).contains(userB);
    }

    @Override
    public Map<String, UserInfo> usersById(Collection<String> userIds) {
        return source.usersById(userIds);
    }

    @Override
    public Optional<ShareSettings> shareSettings(String userId) {
        return shareSettings.get(userId);
    }
}
