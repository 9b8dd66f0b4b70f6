package io.pagenow.core.chat;

import io.pagenow.core.chat.MessageQuery.Order;
import org.junit.jupiter.api.BeforeEach;
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

class MessagePagingTest {

    private final ChatWorld world = new ChatWorld();
    private UUID conversation;
    private final List<Message> sent = new ArrayList<>();

    @BeforeEach
    void fiveMessages() {
        conversation = world.direct(ALICE, BOB);
        for (int i = 1; i <= 5; i++) {
            sent.add(world.send(i % 2 == 1 ? ALICE : BOB, conversation, "m" + i));
        }
    }

    @Test
    void defaultIsTheNewestTwentyNewestFirst() {
        List<Message> page = world.chat.messages(BOB, conversation, new MessageQuery(MessageQuery.DEFAULT_LIMIT, 0, null, null, null));

        assertEquals(List.of("m5", "m4", "m3", "m2", "m1"), contents(page));
        assertEquals(sent.get(4), page.get(0), "whole messages");
    }

    @Test
    void offsetSkipsTheNewestAndLimitCutsTheWindow() {
        assertEquals(List.of("m5", "m4"), contents(page(2, 0, Order.DESC)));
        assertEquals(List.of("m3", "m2"), contents(page(2, 2, Order.DESC)));
        assertEquals(List.of("m1"), contents(page(2, 4, Order.DESC)));
        assertEquals(List.of(), page(2, 5, Order.DESC));
        assertEquals(List.of(), page(100, 1000, Order.DESC), "offset past the end");
    }

    @Test
    void ascendingOrderReturnsTheSameWindowOldestFirst() {
        assertEquals(List.of("m4", "m5"), contents(page(2, 0, Order.ASC)));
        assertEquals(List.of("m2", "m3"), contents(page(2, 2, Order.ASC)));
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), contents(page(100, 0, Order.ASC)));
        assertEquals(List.of(), page(2, 5, Order.ASC));
    }

    @Test
    void limitMustBeOneTo100AndOffsetNotNegative() {
        assertInvalid("limit", () -> new MessageQuery(0, 0, Order.DESC, Optional.empty(), Optional.empty()));
        assertInvalid("limit", () -> new MessageQuery(101, 0, Order.DESC, Optional.empty(), Optional.empty()));
        assertInvalid("limit", () -> new MessageQuery(-5, 0, Order.DESC, Optional.empty(), Optional.empty()));
        assertInvalid("offset", () -> new MessageQuery(20, -1, Order.DESC, Optional.empty(), Optional.empty()));

        assertEquals(1, page(1, 0, Order.DESC).size());
        assertEquals(5, page(MessageQuery.MAX_LIMIT, 0, Order.DESC).size());
    }

    @Test
    void beforeTakesTheMessagesJustOlderThanTheCursor() {
        assertEquals(List.of("m2", "m1"), contents(before(sent.get(2), 10, 0, null)));
        assertEquals(List.of("m4", "m3"), contents(before(sent.get(4), 2, 0, Order.DESC)));
        assertEquals(List.of("m3", "m4"), contents(before(sent.get(4), 2, 0, Order.ASC)));
        assertEquals(List.of(), before(sent.get(0), 10, 0, Order.DESC), "nothing before the first message");
    }

    @Test
    void beforeIgnoresOffset() {
        assertEquals(List.of("m3", "m2"), contents(before(sent.get(3), 2, 3, Order.DESC)));
    }

    @Test
    void beforeIsStableWhileNewMessagesArrive() {
        List<Message> page = before(sent.get(3), 2, 0, Order.DESC);

        world.send(BOB, conversation, "m6");
        world.send(ALICE, conversation, "m7");

        assertEquals(page, before(sent.get(3), 2, 0, Order.DESC));
        assertEquals(List.of("m7", "m6"), contents(page(2, 0, Order.DESC)));
    }

    @Test
    void beforeMustNameAMessageOfThisConversation() {
        UUID other = world.group(ALICE, "Other", BOB, CAROL);
        Message elsewhere = world.send(CAROL, other, "elsewhere");

        assertInvalid("before", () -> before(elsewhere, 10, 0, Order.DESC));
        assertInvalid("before", () -> world.chat.messages(ALICE, conversation,
                new MessageQuery(10, 0, Order.DESC, Optional.of(UUID.randomUUID()), Optional.empty())));
    }

    private List<Message> page(int limit, int offset, Order order) {
        return world.chat.messages(ALICE, conversation, new MessageQuery(limit, offset, order, Optional.empty(), Optional.empty()));
    }

    private List<Message> before(Message cursor, int limit, int offset, Order order) {
        return world.chat.messages(ALICE, conversation, new MessageQuery(limit, offset, order, Optional.of(cursor.id()), Optional.empty()));
    }
}
