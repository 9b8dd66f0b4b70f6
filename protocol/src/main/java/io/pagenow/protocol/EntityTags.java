package io.pagenow.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Entity tags of answer bodies and the {@code If-None-Match} test (RFC 9110, 13.1.2). A tag is a
 * hash of the body, not a version number: every node (and Lambda container) gives the same body
 * the same tag, so a client's tag holds across nodes and restarts, and a tag can only match the
 * very bytes the client holds.
 */
final class EntityTags {

    /** Bytes of SHA-256 kept: 128 bits, far past any chance of two bodies of one client colliding. */
    private static final int TAG_BYTES = 16;

    private EntityTags() {
    }

    /** The strong entity tag of {@code body}, quoted as the {@code ETag} header carries it. */
    static String of(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TAG_BYTES)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} header names {@code etag}: {@code *}, or a list of tags one
     * of which is it, weak ({@code W/"..."}) or strong alike, as a GET compares them.
     *
     * @param ifNoneMatch the header as sent, or null
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String listed : ifNoneMatch.split(",")) {
            String tag = listed.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
