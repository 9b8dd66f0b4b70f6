package io.pagenow.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The REST scenario's generated history (U users, C conversations, 70% direct and 30% groups of
 * 3 to 5, drawn with a fixed seed, M messages spread over them by the {@link ConversationPlan}
 * rule), and what a read of it must answer: how many conversations a user's listing holds, how
 * many messages a conversation has.
 */
final class RestHistory {

    private final List<String> users;
    private final ConversationPlan plan;
    private final int messages;
    private final int[] messagesIn;
    private final Map<String, Integer> conversationsOf = new HashMap<>();

    RestHistory(Profile profile) {
        this.users = Population.userIds("rest-", profile.restUsers());
        this.plan = new ConversationPlan(draw(users, profile.restConversations()));
        this.messages = profile.restMessages();
        this.messagesIn = new int[plan.size()];
        for (long j = 0; j < messages; j++) {
            messagesIn[plan.conversationOf(j)]++;
        }
        for (int c = 0; c < plan.size(); c++) {
            if (messagesIn[c] > 0) {
                plan.members(c).forEach(m -> conversationsOf.merge(m, 1, Integer::sum));
            }
        }
    }

    private static List<List<String>> draw(List<String> users, int count) {
        List<List<String>> conversations = new ArrayList<>();
        Random random = new Random(42);
        Set<String> pairs = new HashSet<>();
        int u = users.size();
        while (conversations.size() < count) {
            int c = conversations.size();
            List<String> members = new ArrayList<>();
            if (c % 10 < 7) {
                int a = random.nextInt(u);
                int b = random.nextInt(u);
                if (a == b || !pairs.add(Math.min(a, b) + ":" + Math.max(a, b))) {
                    continue;
                }
                members.add(users.get(a));
                members.add(users.get(b));
            } else {
                int size = Math.min(3 + random.nextInt(3), u);
                List<Integer> chosen = new ArrayList<>();
                while (chosen.size() < size) {
                    int x = random.nextInt(u);
                    if (!chosen.contains(x)) {
                        chosen.add(x);
                    }
                }
                chosen.forEach(x -> members.add(users.get(x)));
            }
            conversations.add(List.copyOf(members));
        }
        return conversations;
    }

    List<String> users() {
        return users;
    }

    Population population() {
        return Population.of(users);
    }

    ConversationPlan plan() {
        return plan;
    }

    /** Messages in the whole history. */
    int messages() {
        return messages;
    }

    int messagesIn(int c) {
        return messagesIn[c];
    }

    /** Rows of {@code GET /conversations} for this user: its conversations that hold a message. */
    int expectedListing(String user) {
        return conversationsOf.getOrDefault(user, 0);
    }
}
