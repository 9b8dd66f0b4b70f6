package io.pagenow.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users and friendships a scenario needs in the server's social graph: written as the
 * embedded server's {@code SEED_FILE}, or inserted into PostgreSQL's {@code user_table} and
 * {@code friendship_table}.
 */
record Population(List<String> users, List<String[]> friendships) {

    static Population of(List<String> users) {
        return new Population(users, List.of());
    }

    /**
     * Users {@code prefix0..prefix(n-1)} in a ring where each has exactly {@code degree} friends:
     * the {@code degree / 2} nearest on each side, plus the one opposite when {@code degree} is odd
     * (which needs an even number of users).
     */
    static Population circulant(String prefix, int n, int degree) {
        if (degree >= n || (degree % 2 == 1 && n % 2 == 1)) {
            throw new IllegalArgumentException("no ring of " + n + " users gives each " + degree + " friends");
        }
        List<String> users = userIds(prefix, n);
        List<String[]> friendships = new ArrayList<>();
        for (int k = 1; k <= degree / 2; k++) {
            for (int i = 0; i < n; i++) {
                friendships.add(new String[] {users.get(i), users.get((i + k) % n)});
            }
        }
        if (degree % 2 == 1) {
            for (int i = 0; i < n / 2; i++) {
                friendships.add(new String[] {users.get(i), users.get(i + n / 2)});
            }
        }
        return new Population(users, friendships);
    }

    static List<String> userIds(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    Map<String, Set<String>> friendsByUser() {
        Map<String, Set<String>> friends = new HashMap<>();
        for (String user : users) {
            friends.put(user, new HashSet<>());
        }
        for (String[] pair : friendships) {
            friends.get(pair[0]).add(pair[1]);
            friends.get(pair[1]).add(pair[0]);
        }
        return friends;
    }

    static Population merge(List<Population> parts) {
        Set<String> users = new LinkedHashSet<>();
        List<String[]> friendships = new ArrayList<>();
        for (Population part : parts) {
            users.addAll(part.users);
            friendships.addAll(part.friendships);
        }
        return new Population(List.copyOf(users), friendships);
    }

    /** The server's {@code SEED_FILE} format. User ids here are plain ASCII: no escaping needed. */
    String seedJson() {
        StringBuilder json = new StringBuilder(users.size() * 64 + friendships.size() * 24);
        json.append("{\"users\":[");
        for (int i = 0; i < users.size(); i++) {
            String id = users.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"user_id\":\"").append(id)
                    .append("\",\"first_name\":\"Bench\",\"last_name\":\"").append(id).append("\"}");
        }
        json.append("],\"friendships\":[");
        for (int i = 0; i < friendships.size(); i++) {
            String[] pair = friendships.get(i);
            json.append(i == 0 ? "" : ",").append("[\"").append(pair[0]).append("\",\"").append(pair[1]).append("\"]");
        }
        return json.append("]}").toString();
    }

    /** The same graph as rows of the user service's tables; everyone shares every domain. */
    String sql() {
        StringBuilder sql = new StringBuilder();
        for (int from = 0; from < users.size(); from += 1000) {
            sql.append("INSERT INTO user_table (user_id, email, first_name, last_name, share_mode) VALUES ");
            for (int i = from; i < Math.min(users.size(), from + 1000); i++) {
                String id = users.get(i);
                sql.append(i == from ? "" : ",").append("('").append(id).append("','").append(id)
                        .append("@bench.invalid','Bench','").append(id).append("','default_all')");
            }
            sql.append(" ON CONFLICT DO NOTHING;\n");
        }
        for (int from = 0; from < friendships.size(); from += 1000) {
            sql.append("INSERT INTO friendship_table (user_id1, user_id2, requested_at, accepted_at) VALUES ");
            for (int i = from; i < Math.min(friendships.size(), from + 1000); i++) {
                String[] pair = friendships.get(i);
                sql.append(i == from ? "" : ",").append("('").append(pair[0]).append("','").append(pair[1])
                        .append("',now(),now())");
            }
            sql.append(" ON CONFLICT DO NOTHING;\n");
        }
        return sql.toString();
    }
}
