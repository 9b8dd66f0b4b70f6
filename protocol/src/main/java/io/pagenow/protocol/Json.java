package io.pagenow.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagenow.core.error.InvalidInputException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one JSON configuration of the wire. Output is written with the streaming generator, field by
 * field, so every name on the wire is spelled out in this module and nothing depends on reflection.
 */
final class Json {

    /** ISO-8601 UTC with exactly three fraction digits: {@code ISO_INSTANT} drops them when zero. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final int MAX_NESTING_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    /** Writing needs only the streaming generator, not data binding. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /**
     * Reading a frame field by field needs only the streaming parser, with the duplicate check
     * {@link Reader#MAPPER} reads with; it has no codec, so nothing it parses loads data binding.
     */
    private static final JsonFactory STREAMING_READER = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Data binding, built with the first document parsed: an answer that only writes (a REST GET,
     * a push, a Lambda's cold start on one) never loads its few hundred classes.
     */
    private static final class Reader {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private Json() {
    }

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    static String write(Writer writer) {
        StringWriter buffer = new StringWriter(256);
        try (JsonGenerator out = FACTORY.createGenerator(buffer)) {
            writer.write(out);
        } catch (IOException e) {
            // Only a bug can get here: the target is memory.
            throw new UncheckedIOException(e);
        }
        return buffer.toString();
    }

    /**
     * Parses a JSON document that must be an object.
     *
     * @param what names the document in error messages ("body", "frame")
     */
    static JsonNode parseObject(String json, String what) {
        if (json == null || json.isBlank()) {
            throw new InvalidInputException("Missing " + what + ": expected a JSON object");
        }
        JsonNode node;
        try {
            node = Reader.MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            // Its own message names the parser's settings, not the client's problem.
            throw new InvalidInputException("Malformed JSON " + what + ": nested deeper than "
                    + MAX_NESTING_DEPTH + " levels, or a number or name too long");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Malformed JSON " + what + ": " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("The " + what + " must be a JSON object");
        }
        return node;
    }

    /** A streaming parser with the settings {@link #parseObject} reads with. */
    static JsonParser parser(String json) throws IOException {
        return STREAMING_READER.createParser(json);
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    static void timestampField(JsonGenerator out, String name, Instant instant) throws IOException {
        if (instant == null) {
            out.writeNullField(name);
        } else {
            out.writeStringField(name, timestamp(instant));
        }
    }
}
