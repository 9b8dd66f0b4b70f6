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
import java.util.concurrent.Executor;

/**
 * Friends and share settings per user, kept for a bounded time: every presence update asks for
 * both, and they live in the user service's tables, which another system changes without telling
 * this one. An entry older than the TTL is read again in the background on its next use (that
 * use, and every other until the new value arrives, still gets the old one, so the presence path
 * never waits for the database); an entry older than twice the TTL is dropped, so a value is at
 * most that stale even when the refreshes fail. With nothing cached a failed read fails the call
 * ({@code StoreUnavailableException}), as without the cache. Profiles ({@link #usersById}) are
 * read through.
 */
final class CachedSocialGraph implements SocialGraph {

    /** Users kept at most; the least recently used go first. */
    static final long MAXIMUM_USERS = 100_000;

    private final SocialGraph source;
    private final LoadingCache<String, Set<String>> friends;
    private final LoadingCache<String, Optional<ShareSettings>> shareSettings;

    /**
     * @param ttl     positive
     * @param refresh where the background reads run (they borrow pooled connections)
     */
    CachedSocialGraph(SocialGraph source, Duration ttl, Ticker ticker, Executor refresh) {
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("the cache TTL must be positive");
        }
        this.source = source;
        this.friends = perUser(ttl, ticker, refresh, source::friendsOf);
        this.shareSettings = perUser(ttl, ticker, refresh, source::shareSettings);
    }

    private static <V> LoadingCache<String, V> perUser(Duration ttl, Ticker ticker, Executor refresh,
                                                       CacheLoader<String, V> read) {
        return Caffeine.newBuilder()
                .maximumSize(MAXIMUM_USERS)
                .refreshAfterWrite(ttl)
                .expireAfterWrite(ttl.multipliedBy(2))
                .ticker(ticker)
                .executor(refresh)
                .build(read);
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
