package io.pagenow.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Loads the REST history through the protocol itself, where the server has no database to load
 * it into ({@link RestDataset}): the conversations over REST, the messages as
 * {@code send-message} frames paced below the flood limit, each acknowledged by the sender's own
 * {@code new-message}. A 429 is sent again a little later.
 */
final class RestHistoryOverWire {

    private RestHistoryOverWire() {
    }

    /**
     * @param ids  filled with the server's id of each conversation
     * @param rate messages a second
     * @return how it went, for the report's {@code loaded_by}
     */
    static String load(RestHistory history, Wire wire, Map<String, String> tokens, String[] ids, String runTag,
                       Errors errors, int rate) {
        ConversationPlan plan = history.plan();
        plan.create(wire, tokens, ids, "rest group ");

        int total = history.messages();
        String tag = runTag + "r";
        AtomicIntegerArray acked = new AtomicIntegerArray(total);
        LongAdder refused = new LongAdder();
        Progress progress = new Progress(total);
        Map<String, BenchSocket> socketOf = new HashMap<>();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try {
            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                String temp = frame.tempMessageId();
                if (temp == null || !temp.startsWith(tag + "-")) {
                    if ("error".equals(frame.type())) {
                        errors.errorEvent(frame);
                    }
                    return;
                }
                int j = Integer.parseInt(temp, tag.length() + 1, temp.length(), 10);
                if ("new-message".equals(frame.type()) && socket.userId.equals(frame.senderId())) {
                    if (acked.compareAndSet(j, 0, 1)) {
                        progress.add(1);
                    }
                } else if ("error".equals(frame.type())) {
                    if (frame.code() == 429) {
                        refused.increment();
                        retries.schedule(() -> socket.send(plan.sendMessage(tag, j, ids)), 250, TimeUnit.MILLISECONDS);
                    } else {
                        errors.errorEvent(frame);
                        progress.add(1);
                    }
                }
            };
            List<String> users = history.users();
            BenchSocket[] sockets = Sockets.open(wire, users, "chat", tokens, handler, errors);
            for (BenchSocket socket : sockets) {
                socketOf.put(socket.userId, socket);
            }
            OpenLoop.run(total, rate, (j, due) -> socketOf.get(plan.senderOf(j)).send(plan.sendMessage(tag, j, ids)));
            if (!progress.await(120 + 3L * total / rate)) {
                throw new IllegalStateException("the history was not stored in time: " + progress.accounted() + " of " + total);
            }
            Sockets.closeAll(sockets);
        } finally {
            retries.shutdownNow();
        }
        return "protocol (" + refused.sum() + " sends refused with 429 and sent again)";
    }
}
