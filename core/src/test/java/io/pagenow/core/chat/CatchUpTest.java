package io.pagenow.core.chat;

import io.pagenow.core.chat.MessageQuery.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.assertInvalid;
import static io.pagenow.core.chat.ChatWorld.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CatchUpTest {

    private final ChatWorld world = new ChatWorld();
    private final UUID direct = world.direct(ALICE, BOB);
    private final List<Message> sent = new ArrayList<>();

    CatchUpTest() {
        for (int i = 1; i <= 5; i++) {
            sent.add(world.send(i % 2 == 0 ? BOB : ALICE, direct, "m" + i));
        }
    }

    private List<Message> after(Message cursor, int limit, Order order) {
        return world.chat.messages(ALICE, direct,
                new MessageQuery(limit, 0, order, Optional.empty(), Optional.of(cursor.id())));
    }

    @Test
    void afterReturnsTheOldestMessagesNewerThanTheCursorInTheRequestedOrder() {
        assertEquals(List.of("m2", "m3"), contents(after(sent.get(0), 2, Order.ASC)));
        assertEquals(List.of("m3", "m2"), contents(after(sent.get(0), 2, Order.DESC)), "desc orders the same window");
        assertEquals(List.of("m5", "m4", "m3", "m2"), contents(after(sent.get(0), 20, null)), "desc by default");
        assertEquals(List.of(), after(sent.get(4), 20, Order.ASC), "nothing newer than the latest");
    }

    @Test
    void aReconnectingClientCatchesUpPageByPageUntilAShortPage() {
        Message lastKnown = sent.get(0);
        List<String> caughtUp = new ArrayList<>();
        List<Message> page;
        do {
            page = after(lastKnown, 2, Order.ASC);
            caughtUp.addAll(contents(page));
            if (!page.isEmpty()) {
                lastKnown = page.get(page.size() - 1);
            }
            if (caughtUp.size() == 2) {
                world.send(BOB, direct, "m6"); // arrives while catching up
            }
        } while (page.size() == 2);
        assertEquals(List.of("m2", "m3", "m4", "m5", "m6"), caughtUp);
    }

    @Test
    void anUnknownOrForeignCursorIs400() {
        UUID other = world.direct(ALICE, CAROL);
        Message foreign = world.send(CAROL, other, "elsewhere");

        assertInvalid("after", () -> after(foreign, 20, Order.ASC));
        assertInvalid("after", () -> world.chat.messages(ALICE, direct,
                new MessageQuery(20, 0, Order.ASC, Optional.empty(), Optional.of(UUID.randomUUID()))));
    }

    @Test
    void beforeAndAfterTogetherAre400() {
        assertInvalid("after", () -> new MessageQuery(20, 0, Order.ASC, Optional.of(sent.get(3).id()),
                Optional.of(sent.get(0).id())));
    }
}
