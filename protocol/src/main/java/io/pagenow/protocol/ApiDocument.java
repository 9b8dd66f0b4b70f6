package io.pagenow.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The machine-readable descriptions of the protocol, docs/openapi.yaml and docs/asyncapi.yaml,
 * packaged with this module (the build copies them from docs/) so that every transport can serve
 * the very files the tests check against the router and the socket dispatch.
 */
public enum ApiDocument {

    /** The REST routes, OpenAPI 3.1. */
    OPENAPI("/openapi.yaml", "openapi.yaml"),
    /** Both WebSocket channels, AsyncAPI 3. */
    ASYNCAPI("/asyncapi.yaml", "asyncapi.yaml");

    /** RFC 9512's media type for YAML. */
    public static final String CONTENT_TYPE = "application/yaml; charset=utf-8";

    private final String path;
    private final String text;

    ApiDocument(String path, String resource) {
        this.path = path;
        this.text = load("api/" + resource);
    }

    /** Where a server serves it. */
    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    private static String load(String resource) {
        try (InputStream in = ApiDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing packaged API document " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
