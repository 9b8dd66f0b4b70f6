package io.pagenow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who is in which conversation, the creator first, and where each message goes and what it
 * says: message {@code i} to conversation {@code i % C}, sent by its members in turn, its content
 * {@code "#i"} and a padding. The chat and REST scenarios both follow this rule (and
 * {@link RestDataset}'s SQL writes the same), so it is written once.
 */
record ConversationPlan(List<List<String>> conversations) {

    /** After {@code "#i"} in every message's content: the size of a short chat line. */
    static final String PAD = " lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";

    ConversationPlan {
        conversations = List.copyOf(conversations);
    }

    int size() {
        return conversations.size();
    }

    List<String> members(int c) {
        return conversations.get(c);
    }

    int conversationOf(long i) {
        return (int) (i % conversations.size());
    }

    String senderOf(long i) {
        List<String> members = conversations.get(conversationOf(i));
        return members.get((int) ((i / conversations.size()) % members.size()));
    }

    /** The {@code send-message} frame of message {@code i}, its {@code tempMessageId} {@code tag-i}. */
    String sendMessage(String tag, long i, String[] ids) {
        return "{\"action\":\"send-message\",\"tempMessageId\":\"" + tag + "-" + i + "\",\"conversationId\":\""
                + ids[conversationOf(i)] + "\",\"content\":\"#" + i + PAD + "\"}";
    }

    /**
     * Creates every conversation over REST, by its first member; {@code ids[c]} is then the
     * server's id of conversation {@code c}. Groups are titled {@code titlePrefix + c}.
     */
    void create(Wire wire, Map<String, String> tokens, String[] ids, String titlePrefix) {
        List<Integer> indexes = new ArrayList<>();
        for (int c = 0; c < conversations.size(); c++) {
            indexes.add(c);
        }
        Wire.forEachBounded(indexes, 32, c -> {
            List<String> members = conversations.get(c);
            boolean group = members.size() > 2;
            String body = "{\"recipientIdArr\":" + jsonArray(members.subList(1, members.size()))
                    + ",\"isGroup\":" + group + ",\"title\":\"" + (group ? titlePrefix + c : "") + "\"}";
            return wire.post("/conversation", tokens.get(members.get(0)), body).thenAccept(response ->
                    ids[c] = Wire.parse(Wire.expect(response, 200, "POST /conversation")).get("conversationId").asText());
        });
    }

    private static String jsonArray(List<String> items) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            s.append(i == 0 ? "" : ",").append('"').append(items.get(i)).append('"');
        }
        return s.append(']').toString();
    }
}
