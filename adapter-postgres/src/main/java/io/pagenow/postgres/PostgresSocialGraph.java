package io.pagenow.postgres;

import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The user service's {@code user_table} and {@code friendship_table}, read only. A friendship
 * counts once accepted ({@code accepted_at IS NOT NULL}), whoever asked.
 */
final class PostgresSocialGraph implements SocialGraph {

    private final Jdbi jdbi;
    private final PostgresFailures failures;

    PostgresSocialGraph(Jdbi jdbi, PostgresFailures failures) {
        this.jdbi = jdbi;
        this.failures = failures;
    }

    /** One read on a pooled connection, its failures sorted (an unreachable database is a 503). */
    private <T> T read(HandleCallback<T, RuntimeException> query) {
        return failures.guard(() -> jdbi.withHandle(query));
    }

    @Override
    public Set<String> friendsOf(String userId) {
        return friendsOfEach(List.of(userId)).get(userId);
    }

    /** {@link #friendsOf} of each user in one query; every user asked for is in the answer. */
    Map<String, Set<String>> friendsOfEach(Collection<String> userIds) {
        Map<String, Set<String>> friends = new HashMap<>();
        userIds.forEach(user -> friends.put(user, new HashSet<>()));
        read(h -> h.createQuery(
                        "SELECT user_id1 AS user_id, user_id2 AS friend_id FROM friendship_table"
                                + " WHERE user_id1 = ANY(:userIds) AND user_id2 <> user_id1 AND accepted_at IS NOT NULL"
                                + " UNION SELECT user_id2, user_id1 FROM friendship_table"
                                + " WHERE user_id2 = ANY(:userIds) AND user_id1 <> user_id2 AND accepted_at IS NOT NULL")
                .bind("userIds", userIds.toArray(new String[0]))
                .map((rs, ctx) -> Map.entry(rs.getString("user_id"), rs.getString("friend_id")))
                .list())
                .forEach(pair -> friends.computeIfAbsent(pair.getKey(), user -> new HashSet<>()).add(pair.getValue()));
        Map<String, Set<String>> answer = new HashMap<>();
        friends.forEach((user, theirs) -> answer.put(user, Set.copyOf(theirs)));
        return answer;
    }

    @Override
    public boolean areFriends(String userA, String userB) {
        if (userA.equals(userB)) {
            return false;
        }
        return read(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM friendship_table"
                        + " WHERE accepted_at IS NOT NULL AND ((user_id1 = :a AND user_id2 = :b)"
                        + " OR (user_id1 = :b AND user_id2 = :a)))")
                .bind("a", userA)
                .bind("b", userB)
                .mapTo(Boolean.class)
                .one());
    }

    @Override
    public Map<String, UserInfo> usersById(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        // In the order asked for, as the in-memory graph answers.
        return read(h -> h.createQuery("SELECT user_id, first_name, last_name, profile_image_extension"
                        + " FROM user_table WHERE user_id = ANY(:userIds)"
                        + " ORDER BY array_position(CAST(:userIds AS text[]), user_id::text)")
                .bind("userIds", userIds.toArray(new String[0]))
                .map((rs, ctx) -> new UserInfo(rs.getString("user_id"), rs.getString("first_name"),
                        rs.getString("last_name"), rs.getString("profile_image_extension")))
                .collect(Collectors.toMap(UserInfo::userId, info -> info, (first, again) -> first,
                        LinkedHashMap::new)));
    }

    @Override
    public Optional<ShareSettings> shareSettings(String userId) {
        return shareSettingsOfEach(List.of(userId)).get(userId);
    }

    /** {@link #shareSettings} of each user in one query; every user asked for is in the answer. */
    Map<String, Optional<ShareSettings>> shareSettingsOfEach(Collection<String> userIds) {
        Map<String, Optional<ShareSettings>> settings = new HashMap<>();
        userIds.forEach(user -> settings.put(user, Optional.empty()));
        read(h -> h.createQuery("SELECT user_id, share_mode,"
                        + " domain_allow_array, domain_deny_array FROM user_table WHERE user_id = ANY(:userIds)")
                .bind("userIds", userIds.toArray(new String[0]))
                .map((rs, ctx) -> {
                    // A share mode this project does not know is no known setting: the core then shares as before.
                    Optional<ShareMode> mode = ShareMode.fromWireName(rs.getString("share_mode"));
                    if (mode.isEmpty()) {
                        return Map.entry(rs.getString("user_id"), Optional.<ShareSettings>empty());
                    }
                    return Map.entry(rs.getString("user_id"), Optional.of(new ShareSettings(mode.get(),
                            domains(rs.getArray("domain_allow_array")), domains(rs.getArray("domain_deny_array")))));
                })
                .list())
                .forEach(row -> settings.put(row.getKey(), row.getValue()));
        return settings;
    }

    private static Set<String> domains(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        Object[] values = (Object[]) array.getArray();
        Set<String> domains = new LinkedHashSet<>();
        Arrays.stream(values).filter(v -> v != null && !v.toString().isBlank()).forEach(v -> domains.add(v.toString()));
        return domains;
    }
}
