package io.pagenow.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the server stored of a chat run, read back over REST: every conversation's messages,
 * each benchmark message (content {@code "#i ..."}) counted once, and again as a duplicate if
 * stored twice.
 */
final class MessageReadBack {

    /** @param readAll false when a read failed, so the counts are short */
    record Stored(long count, long duplicates, boolean readAll) {
    }

    private MessageReadBack() {
    }

    /** Counts messages {@code 0 .. total - 1} in the plan's conversations, read by each one's creator. */
    static Stored read(Wire wire, ConversationPlan plan, Map<String, String> tokens, String[] ids, int total) {
        BitSet seen = new BitSet(total);
        long[] counts = new long[2]; // found, duplicates; guarded by seen
        List<Integer> indexes = new ArrayList<>();
        for (int c = 0; c < plan.size(); c++) {
            indexes.add(c);
        }
        try {
            Wire.forEachBounded(indexes, 8, c -> readPages(wire, tokens.get(plan.members(c).get(0)), ids[c], null,
                    content -> {
                        int space = content.indexOf(' ');
                        if (!content.startsWith("#") || space < 2) {
                            return;
                        }
                        int i = Integer.parseInt(content, 1, space, 10);
                        synchronized (seen) {
                            if (i >= total) {
                                return;
                            }
                            if (seen.get(i)) {
                                counts[1]++;
                            } else {
                                seen.set(i);
                                counts[0]++;
                            }
                        }
                    }));
            synchronized (seen) {
                return new Stored(counts[0], counts[1], true);
            }
        } catch (RuntimeException e) {
            synchronized (seen) {
                return new Stored(counts[0], counts[1], false);
            }
        }
    }

    /**
     * Pages through a conversation's messages newest first, 100 at a time, with the keyset cursor
     * ({@code before}): stable while the server may still be appending, where offsets would shift.
     */
    private static CompletableFuture<Void> readPages(Wire wire, String token, String conversationId, String before,
                                                     Consumer<String> content) {
        return wire.getPatiently("/conversations/" + conversationId + "/messages?limit=100"
                        + (before == null ? "" : "&before=" + before), token)
                .thenCompose(response -> {
                    JsonNode page = Wire.parse(Wire.expect(response, 200, "GET /conversations/{id}/messages"));
                    page.forEach(message -> content.accept(message.get("content").asText()));
                    return page.size() < 100 ? CompletableFuture.completedFuture(null)
                            : readPages(wire, token, conversationId, page.get(page.size() - 1).get("messageId").asText(),
                            content);
                });
    }
}
