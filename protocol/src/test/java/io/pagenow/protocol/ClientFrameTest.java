package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming frame reader against the tree parser it replaced ({@link Json#parseObject} and
 * {@link Fields}, which still read REST bodies): for every frame, the same frames are refused with
 * the same message, and every field an action reads comes out the same, or fails the same.
 */
class ClientFrameTest {

    private static final List<String> FIELDS = List.of("action", "tempMessageId", "conversationId", "content",
            "messageId", "url", "title");

    static Stream<String> frames() {
        String content = "\"content\":\"" + "x".repeat(60_000) + "\"";
        return Stream.of(
                // accepted, with the fields in every type
                "{\"action\":\"heartbeat\"}",
                "{\"action\":\"heartbeat\"}\n  ",
                "\uFEFF{\"action\":\"heartbeat\"}",
                "{\"action\":\"send-message\",\"tempMessageId\":\"t\",\"conversationId\":\"" + "0".repeat(8)
                        + "-0000-0000-0000-000000000001\",\"content\":\"hi\"}",
                "{\"action\":\"send-message\",\"conversationId\":123,\"tempMessageId\":42,\"content\":1.5e3}",
                "{\"action\":\"send-message\",\"conversationId\":\"123\",\"tempMessageId\":\"42\"}",
                "{\"action\":true,\"content\":null,\"url\":{\"a\":1},\"title\":[],\"messageId\":false}",
                "{\"action\":null,\"tempMessageId\":null}",
                "{\"action\":\"update-presence\",\"url\":\"https://x.io/\\u00e9\\ud83d\\ude00\",\"title\":\"a\\tb\\\"c\"}",
                "{\"action\":\"heartbeat\",\"x\":[{\"y\":[1,2,{\"z\":null}]},\"s\",true,-0.5e-7]}",
                "{\"action\":\"heartbeat\",\"foo\":\"bar\",\"nested\":{\"action\":7}}",
                "{\"title\":\"\\ud800\"}",
                "{" + content + "}",
                "{\"action\":\"heartbeat\",\"junk\":\"" + "y".repeat(60_000) + "\"}",
                "{\"action\":\"heartbeat\",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}",
                "{\"n\":" + "9".repeat(999) + "}",
                "{\"n\":1e99999}",
                "{}",
                // refused
                "{\"action\":\"heartbeat\",\"action\":\"heartbeat\"}",
                "{\"x\":1,\"x\":2,\"action\":\"heartbeat\"}",
                "{\"action\":\"heartbeat\",\"x\":{\"a\":1,\"a\":2}}",
                "{\"action\":\"heartbeat\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                "{\"n\":" + "9".repeat(2000) + "}",
                "{\"" + "k".repeat(60_000) + "\":1}",
                "{", "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1} {\"b\":2}", "{\"a\":1} []", "{\"a\" 1}",
                "[]", "[\"send-message\"]", "\"text\"", "null", "42", "", "   ", "\n",
                "{'action':'heartbeat'}", "{action:\"heartbeat\"}", "{\"a\":\"\\q\"}", "{\"a\":\"a\u0001b\"}",
                "{\"a\":NaN}", "{\"a\":01}", "{\"a\":1 /* c */}", "{\"a\":[1,]}", "{\"a\":\"unterminated}",
                "{\"action\":\"heartbeat\",\"x\":[1,2}");
    }

    @ParameterizedTest
    @MethodSource("frames")
    void readsEveryFrameAsTheTreeParserDid(String frame) {
        assertEquals(tree(frame), streamed(frame));
    }

    @Test
    void aMissingFrameIsRefusedAsBefore() {
        assertEquals(tree(null), streamed(null));
    }

    /** What the tree parser made of the frame: its error, or each field as the actions read it. */
    private static List<String> tree(String frame) {
        JsonNode node;
        try {
            node = Json.parseObject(frame, "frame");
        } catch (InvalidInputException e) {
            return List.of("refused: " + e.getMessage());
        }
        List<String> fields = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode value = node.get(field);
            String text = value != null && value.isTextual() ? value.textValue() : null;
            fields.add(field + " -> " + text + " / " + outcome(() -> Fields.requiredString(node, field)));
        }
        return fields;
    }

    private static List<String> streamed(String frame) {
        ClientFrame parsed;
        try {
            parsed = ClientFrame.parse(frame);
        } catch (InvalidInputException e) {
            return List.of("refused: " + e.getMessage());
        }
        List<String> fields = new ArrayList<>();
        for (String field : FIELDS) {
            fields.add(field + " -> " + parsed.textOrNull(field) + " / " + outcome(() -> parsed.requiredString(field)));
        }
        return fields;
    }

    private static String outcome(Supplier<String> read) {
        try {
            return "ok " + read.get();
        } catch (InvalidInputException e) {
            return "error " + e.getMessage();
        }
    }
}
