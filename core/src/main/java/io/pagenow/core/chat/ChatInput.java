package io.pagenow.core.chat;

import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.PlainText;

/**
 * The limits on the ids and message content a chat caller sends, one rule each, so a send and an
 * edit (or any two fields naming a user) refuse the same input with the same words.
 */
final class ChatInput {

    static final int MAX_CONTENT_CODE_POINTS = 1000;
    static final int MAX_ID_LENGTH = 128;

    private ChatInput() {
    }

    static void requireId(String field, String id) {
        if (id == null) {
            throw InvalidInputException.missing(field);
        }
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException("'" + field + "' must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        PlainText.require(field, id);
    }

    /** The content of a send or an edit. */
    static String requireContent(String sent) {
        String content = PlainText.require("content", sent);
        if (content == null) {
            throw InvalidInputException.missing("content");
        }
        int length = content.codePointCount(0, content.length());
        if (length < 1 || length > MAX_CONTENT_CODE_POINTS) {
            throw new InvalidInputException(
                    "'content' must be 1 to " + MAX_CONTENT_CODE_POINTS + " characters, was " + length);
        }
        return content;
    }
}
