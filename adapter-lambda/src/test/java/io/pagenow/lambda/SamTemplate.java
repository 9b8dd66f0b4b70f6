package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SAM / CloudFormation template read into maps and lists, with the short intrinsic forms
 * ({@code !Ref X}, {@code !Sub "..."}, {@code !GetAtt A.B}, {@code !If [...]}) turned into their
 * long forms ({@code {Ref: X}}, {@code {Fn::Sub: ...}}, ...), as CloudFormation itself reads them.
 */
final class SamTemplate {

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static SamTemplate read(Path file) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            parser.nextToken();
            return new SamTemplate((Map<String, Object>) value(parser));
        }
    }

    Map<String, Object> root() {
        return root;
    }

    /** The resources of one type, by logical id. */
    Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(root, "Resources").forEach((id, resource) -> {
            Map<String, Object> r = asMap(resource);
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return asMap(parent.get(key));
    }

    private static Object value(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        Object value;
        if (token == JsonToken.START_OBJECT) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                map.put(key, value(parser));
            }
            value = map;
        } else if (token == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(value(parser));
            }
            value = list;
        } else if (token == JsonToken.VALUE_NULL) {
            value = null;
        } else {
            value = parser.getText();
        }
        return tag == null ? value : intrinsic(tag, value);
    }

    private static Object intrinsic(String tag, Object value) {
        return switch (tag) {
            case "Ref" -> Map.of("Ref", value);
            case "GetAtt" -> Map.of("Fn::GetAtt", value instanceof String s ? List.of(s.split("\\.", 2)) : value);
            case "Sub", "If", "Not", "Equals", "Join", "Select", "Split", "FindInMap", "ImportValue", "Base64",
                 "Cidr", "GetAZs", "And", "Or", "Condition" -> Map.of(tag.equals("Condition") ? "Condition"
                    : "Fn::" + tag, value);
            default -> throw new AssertionError("unknown YAML tag !" + tag);
        };
    }
}
