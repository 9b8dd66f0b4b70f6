package io.pagenow.core.chat;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.assertInvalid;
import static io.pagenow.core.chat.ChatWorld.ids;
import static io.pagenow.core.chat.ChatWorld.newMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendMessageTest {

    private static final String GRIN = "\uD83D\uDE00"; // one code point, two UTF-16 units

    private final ChatWorld world = new ChatWorld();
    private Connection aliceTab;
    private Connection alicePhone;
    private Connection alicePresence;
    private Connection bobTab;
    private Connection carolTab;
    private Connection daveTab;
    private UUID direct;

    @BeforeEach
    void everyoneOnline() {
        aliceTab = world.chatSocket(ALICE);
        alicePhone = world.chatSocket(ALICE);
        alicePresence = world.presenceSocket(ALICE);
        bobTab = world.chatSocket(BOB);
        world.presenceSocket(BOB);
        carolTab = world.chatSocket(CAROL);
        daveTab = world.chatSocket(DAVE);
        direct = world.direct(ALICE, BOB);
    }

    @Test
    void sendStoresTheMessageWithTheNextSequenceNumberAndTheTimeInMilliseconds() {
        Message first = world.chat.send(ALICE, new SendMessage("tmp-1", direct, "hello"));
        Message second = world.chat.send(BOB, new SendMessage("tmp-1", direct, "hi"));

        assertEquals(1, first.seq());
        assertEquals(2, second.seq());
        assertEquals(direct, first.conversationId());
        assertEquals(ALICE, first.senderId());
        assertEquals("hello", first.content());
        assertEquals("tmp-1", first.tempMessageId());
        assertEquals(Instant.parse("2026-03-01T09:00:00.123Z"), first.sentAt());
        assertEquals(List.of(second, first), world.chat.messages(ALICE, direct, MessageQuery.newest(20)));
    }

    @Test
    void newMessageGoesToEveryChatConnectionOfEveryParticipantTheSendersIncluded() {
        Message message = world.chat.send(ALICE, new SendMessage("tmp-1", direct, "hello bob"));

        Event.NewMessage expected = newMessage(message);
        assertEquals(new Event.NewMessage(message.id(), "tmp-1", direct, ALICE, "hello bob", message.sentAt()), expected);
        assertEquals(ids(aliceTab, alicePhone, bobTab), world.push.recipientsOf(expected));
        assertEquals(3, world.push.deliveries().size(), "nothing to presence sockets or strangers");
        assertEquals(List.of(), world.push.eventsFor(alicePresence.id()));
        assertEquals(List.of(), world.push.eventsFor(carolTab.id()));
        assertEquals(List.of(), world.push.eventsFor(daveTab.id()));
    }

    @Test
    void groupMessageGoesToEveryMember() {
        UUID group = world.group(BOB, "Group", ALICE, CAROL);

        Message message = world.chat.send(CAROL, new SendMessage("tmp-g", group, "hi all"));

        assertEquals(ids(aliceTab, alicePhone, bobTab, carolTab), world.push.recipientsOf(newMessage(message)));
        assertEquals(List.of(), world.push.eventsFor(daveTab.id()));
    }

    @Test
    void participantsWithoutConnectionsStillGetTheMessageStored() {
        UUID withOffline = world.direct(CAROL, "erin");

        Message message = world.chat.send(CAROL, new SendMessage("tmp-1", withOffline, "see you later"));

        assertEquals(List.of(message), world.chat.messages("erin", withOffline, MessageQuery.newest(20)));
        assertEquals(ids(carolTab), world.push.recipientsOf(newMessage(message)));
    }

    @Test
    void contentCountsCodePointsFromOneTo1000() {
        assertEquals(1, world.chat.send(ALICE, new SendMessage("one", direct, "x")).content().length());
        assertEquals(1000, world.chat.send(ALICE, new SendMessage("ascii", direct, "x".repeat(1000))).content().length());
        Message emoji = world.chat.send(ALICE, new SendMessage("emoji", direct, GRIN.repeat(1000)));
        assertEquals(2000, emoji.content().length(), "1000 emoji are 2000 UTF-16 units and still allowed");
        world.chat.send(ALICE, new SendMessage("one-emoji", direct, GRIN));
        world.push.clear();

        assertInvalid("content", () -> world.chat.send(ALICE, new SendMessage("empty", direct, "")));
        assertInvalid("content", () -> world.chat.send(ALICE, new SendMessage("long", direct, "x".repeat(1001))));
        assertInvalid("content", () -> world.chat.send(ALICE, new SendMessage("long-emoji", direct, GRIN.repeat(1001))));
        assertInvalid("content", () -> world.chat.send(ALICE,
                new SendMessage("mixed", direct, "x".repeat(999) + GRIN + GRIN)));
        assertEquals("Missing 'content'",
                assertInvalid("content", () -> world.chat.send(ALICE, new SendMessage("null", direct, null))).getMessage());

        assertEquals(4, world.chat.messages(ALICE, direct, MessageQuery.newest(20)).size(), "nothing stored");
        assertEquals(List.of(), world.push.deliveries(), "nothing pushed");
    }

    @Test
    void tempMessageIdMustBeOneTo128Characters() {
        assertEquals("Missing 'tempMessageId'", assertInvalid("tempMessageId",
                () -> world.chat.send(ALICE, new SendMessage(null, direct, "hi"))).getMessage());
        assertInvalid("tempMessageId", () -> world.chat.send(ALICE, new SendMessage("", direct, "hi")));
        assertInvalid("tempMessageId", () -> world.chat.send(ALICE, new SendMessage("t".repeat(129), direct, "hi")));

        assertEquals(List.of(), world.chat.messages(ALICE, direct, MessageQuery.newest(20)));
        assertEquals("t".repeat(128), world.chat.send(ALICE, new SendMessage("t".repeat(128), direct, "hi")).tempMessageId());
    }

    @Test
    void aRetryStoresNothingAndAnswersOnlyTheSendersConnections() {
        Message stored = world.chat.send(ALICE, new SendMessage("tmp-7", direct, "hello"));
        world.push.clear();

        Message retried = world.chat.send(ALICE, new SendMessage("tmp-7", direct, "hello"));

        assertEquals(stored, retried);
        assertEquals(List.of(stored), world.chat.messages(BOB, direct, MessageQuery.newest(20)));
        assertEquals(ids(aliceTab, alicePhone), world.push.recipientsOf(newMessage(stored)),
                "everyone else had it the first time");
        assertEquals(2, world.push.deliveries().size());
    }

    @Test
    void aRetryAnswersWithTheStoredMessageEvenIfItsContentChanged() {
        Message stored = world.chat.send(ALICE, new SendMessage("tmp-7", direct, "original"));

        Message retried = world.chat.send(ALICE, new SendMessage("tmp-7", direct, "changed on retry"));

        assertEquals("original", retried.content());
        assertEquals(stored.id(), retried.id());
        assertEquals(1, world.chat.messages(ALICE, direct, MessageQuery.newest(20)).size());
    }

    @Test
    void theSameTempIdFromAnotherSenderIsAnotherMessage() {
        Message fromAlice = world.chat.send(ALICE, new SendMessage("1", direct, "a"));
        Message fromBob = world.chat.send(BOB, new SendMessage("1", direct, "b"));

        assertFalse(fromAlice.id().equals(fromBob.id()));
        assertEquals(2, world.chat.messages(ALICE, direct, MessageQuery.newest(20)).size());
    }

    @Test
    void concurrentSendsGetConsecutiveNumbersAndEachIsPushedOnce() throws Exception {
        int threads = 8;
        int perThread = 20;

        List<List<Message>> sent = Concurrently.run(threads, index -> {
            String sender = index % 2 == 0 ? ALICE : BOB;
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(world.chat.send(sender, new SendMessage("t-" + index + "-" + i, direct, "m")));
            }
            return mine;
        });

        int total = threads * perThread;
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                sent.stream().flatMap(List::stream).map(Message::seq).sorted().toList());
        List<Event> atBob = world.push.eventsFor(bobTab.id());
        assertEquals(total, atBob.size());
        assertEquals(total, atBob.stream().distinct().count());
    }

    @Test
    void concurrentRetriesStoreOneMessage() throws Exception {
        List<Message> answers = Concurrently.run(12,
                () -> world.chat.send(ALICE, new SendMessage("same", direct, "once")));

        assertEquals(1, answers.stream().map(Message::id).distinct().count());
        assertEquals(1, world.chat.messages(ALICE, direct, MessageQuery.newest(20)).size());
        assertEquals(1, world.push.eventsFor(bobTab.id()).size(), "bob hears of it once");
    }

    @Test
    void theSendersOwnMessageCountsAsRead() {
        world.chat.send(ALICE, new SendMessage("tmp-1", direct, "hello"));

        ConversationSummary forAlice = world.chat.conversations(ALICE, ChatWorld.any()).get(0);
        ConversationSummary forBob = world.chat.conversations(BOB, ChatWorld.any()).get(0);
        assertTrue(forAlice.read());
        assertEquals(0, forAlice.unreadCount());
        assertFalse(forBob.read());
        assertEquals(1, forBob.unreadCount());
    }

    @Test
    void noTargetsMeansNoPush() {
        UUID quiet = world.direct("erin", "frank");

        world.chat.send("erin", new SendMessage("t", quiet, "anyone?"));

        assertEquals(List.of(), world.push.deliveries());
        assertEquals(1, world.chat.messages("frank", quiet, MessageQuery.newest(20)).size());
    }
}
