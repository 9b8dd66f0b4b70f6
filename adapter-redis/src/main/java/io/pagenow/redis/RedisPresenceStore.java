package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence in Redis. The sorted set of live users, scored by last-seen epoch millis, is what the
 * sweep reads; each user's hash keeps last-seen for good (millis plus the nanoseconds within the
 * millisecond, so an instant reads back exactly) and the pages only while the user is live: a
 * hash with a {@code url} field is a live user. Every change is one script, so it is atomic. An
 * update also reads, in the same script, the presence connections of the users it is pushed to,
 * when they are registered in this Redis ({@link #updateAndFindAudience}).
 */
final class RedisPresenceStore implements PresenceStore {

    static final int DEFAULT_SWEEP_BATCH = 500;

    /** KEYS: live set, user hash. ARGV: user, millis, nanos. Returns 1 when the user was not live. */
    static final LuaScript TOUCH = LuaScript.of("""
            local wasLive = redis.call('ZSCORE', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            if wasLive then
              redis.call('HSET', KEYS[2], 'seen', ARGV[2], 'seenNs', ARGV[3])
              return 0
            end
            redis.call('HSET', KEYS[2], 'seen', ARGV[2], 'seenNs', ARGV[3],
              'url', '', 'title', '', 'domain', '', 'lurl', '', 'ltitle', '', 'ldomain', '')
            return 1
            """);

    /**
     * KEYS: live set, user hash, then the presence-connection hash of each user to tell. ARGV: user,
     * millis, nanos, url, title, domain, '1' when a latest shared page follows, its url, title,
     * domain. Returns the latest shared page after the update, then each told user's connections.
     */
    static final LuaScript UPDATE = LuaScript.resource("presence-update.lua");

    /** KEYS: live set, user hash. ARGV: user. Returns 1 when the user was live. */
    static final LuaScript GO_OFFLINE = LuaScript.of("""
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            redis.call('HDEL', KEYS[2], 'url', 'title', 'domain', 'lurl', 'ltitle', 'ldomain')
            return 1
            """);

    /**
     * KEYS: live set. ARGV: cutoff millis, cutoff nanos within it, user-hash prefix, batch size.
     * Takes offline up to a batch of users last seen before the cutoff; returns whether the batch
     * was full (more may remain), then the users taken. The user hashes are named from the prefix
     * inside the script, so this needs a standalone Redis (not a cluster).
     */
    static final LuaScript SWEEP = LuaScript.of("""
            local taken = {}
            local function off(user)
              redis.call('ZREM', KEYS[1], user)
              redis.call('HDEL', ARGV[3] .. user, 'url', 'title', 'domain', 'lurl', 'ltitle', 'ldomain')
              taken[#taken + 1] = user
            end
            local batch = tonumber(ARGV[4])
            local before = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, batch)
            for _, user in ipairs(before) do
              off(user)
            end
            local full = #before >= batch
            if not full and tonumber(ARGV[2]) > 0 then
              for _, user in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])) do
                local nanos = tonumber(redis.call('HGET', ARGV[3] .. user, 'seenNs') or '0')
                if nanos < tonumber(ARGV[2]) then
                  off(user)
                end
              end
            end
            return {full and 1 or 0, taken}
            """);

    static final List<LuaScript> SCRIPTS = List.of(TOUCH, UPDATE, GO_OFFLINE, SWEEP);

    private final RedisAccess redis;
    private final Keys keys;
    /** The registry in the same Redis, under the same keys: its connections can be read by the update's script. */
    private final RedisConnectionRegistry registry;
    private final int sweepBatch;

    RedisPresenceStore(RedisAccess redis, Keys keys, RedisConnectionRegistry registry, int sweepBatch) {
        if (sweepBatch < 1) {
            throw new IllegalArgumentException("sweepBatch must be positive");
        }
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
        this.sweepBatch = sweepBatch;
    }

    @Override
    public boolean touch(String userId, Instant now) {
        Object reply = redis.eval(TOUCH, userKeys(userId), List.of(userId, millis(now), nanos(now)));
        return ((Long) reply) == 1L;
    }

    @Override
    public PresenceState update(String userId, Page current, Page latestShared, Instant now) {
        List<?> reply = (List<?>) redis.eval(UPDATE, userKeys(userId), updateArgs(userId, current, latestShared, now));
        return updated(userId, current, (List<?>) reply.get(0), now);
    }

    /**
     * One round trip when {@code registry} is this Redis's own: the update's script reads the
     * audience's connection hashes too, as {@link RedisConnectionRegistry#connectionsOf} would.
     */
    @Override
    public Update updateAndFindAudience(String userId, Page current, Page latestShared, Instant now,
                                        Collection<String> audience, ConnectionRegistry registry) {
        if (registry != this.registry) {
            return PresenceStore.super.updateAndFindAudience(userId, current, latestShared, now, audience, registry);
        }
        List<String> users = List.copyOf(new LinkedHashSet<>(audience));
        List<String> scriptKeys = new ArrayList<>(2 + users.size());
        scriptKeys.addAll(userKeys(userId));
        for (String user : users) {
            scriptKeys.add(keys.userConnections(Channel.PRESENCE, user));
        }
        List<?> reply = (List<?>) redis.eval(UPDATE, scriptKeys, updateArgs(userId, current, latestShared, now));
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            List<?> held = (List<?>) reply.get(i + 1);
            for (int field = 0; field < held.size(); field += 2) {
                connections.add(new Connection((String) held.get(field), users.get(i), Channel.PRESENCE,
                        (String) held.get(field + 1)));
            }
        }
        return new Update(updated(userId, current, (List<?>) reply.get(0), now), connections);
    }

    private static List<String> updateArgs(String userId, Page current, Page latestShared, Instant now) {
        List<String> args = new ArrayList<>(10);
        args.addAll(List.of(userId, millis(now), nanos(now), current.url(), current.title(), current.domain()));
        if (latestShared == null) {
            args.addAll(List.of("0", "", "", ""));
        } else {
            args.addAll(List.of("1", latestShared.url(), latestShared.title(), latestShared.domain()));
        }
        return args;
    }

    private static PresenceState updated(String userId, Page current, List<?> latest, Instant now) {
        return new PresenceState(userId, true, current,
                new Page((String) latest.get(0), (String) latest.get(1), (String) latest.get(2)), now);
    }

    /** One HGETALL per user, all in one batch of the pipeline; each hash is read whole, so consistently. */
    @Override
    public Map<String, PresenceState> find(Collection<String> userIds) {
        Set<String> users = new LinkedHashSet<>(userIds);
        if (users.isEmpty()) {
            return Map.of();
        }
        List<Map<String, String>> hashes = redis.hashes(users.stream().map(keys::presenceUser).toList());
        Map<String, PresenceState> found = new HashMap<>();
        int i = 0;
        for (String user : users) {
            Map<String, String> hash = hashes.get(i++);
            if (hash.containsKey("seen")) {
                found.put(user, state(user, hash));
            }
        }
        return found;
    }

    @Override
    public boolean goOffline(String userId) {
        return ((Long) redis.eval(GO_OFFLINE, userKeys(userId), List.of(userId))) == 1L;
    }

    /** Batches of {@code sweepBatch} users per script, so a big sweep never blocks Redis for long. */
    @Override
    public List<String> sweep(Instant cutoff) {
        List<String> taken = new ArrayList<>();
        List<String> keyList = List.of(keys.presenceLive());
        List<String> args = List.of(millis(cutoff), nanos(cutoff), keys.presenceUserPrefix(), Integer.toString(sweepBatch));
        boolean more = true;
        while (more) {
            List<?> reply = (List<?>) redis.eval(SWEEP, keyList, args);
            more = ((Long) reply.get(0)) == 1L;
            for (Object user : (List<?>) reply.get(1)) {
                taken.add((String) user);
            }
        }
        return taken;
    }

    private List<String> userKeys(String userId) {
        return List.of(keys.presenceLive(), keys.presenceUser(userId));
    }

    private static PresenceState state(String userId, Map<String, String> hash) {
        Instant lastSeen = Instant.ofEpochMilli(Long.parseLong(hash.get("seen")))
                .plusNanos(Long.parseLong(hash.getOrDefault("seenNs", "0")));
        if (!hash.containsKey("url")) {
            return new PresenceState(userId, false, null, null, lastSeen);
        }
        return new PresenceState(userId, true,
                new Page(hash.get("url"), hash.getOrDefault("title", ""), hash.getOrDefault("domain", "")),
                new Page(hash.getOrDefault("lurl", ""), hash.getOrDefault("ltitle", ""), hash.getOrDefault("ldomain", "")),
                lastSeen);
    }

    /** Floor of the epoch millis (Instant keeps non-negative nanos, so this floors for old instants too). */
    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    private static String nanos(Instant instant) {
        return Integer.toString(instant.getNano() % 1_000_000);
    }
}
