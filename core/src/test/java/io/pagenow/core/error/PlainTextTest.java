package io.pagenow.core.error;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainTextTest {

    @Test
    void tabNewlineAndEveryPairedCharacterArePlain() {
        assertTrue(PlainText.isPlain(""));
        assertTrue(PlainText.isPlain("tab\there\nnewline, é, 中文, emoji \ud83d\ude00 and \u00a0 nbsp"));
        assertEquals("x", PlainText.require("content", "x"));
        assertEquals(null, PlainText.require("content", null), "presence is the caller's check");
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesAreNot() {
        for (String bad : new String[] {"\u0000", "a\u0001", "\r", "\u001b[31m", "\u007f", "\u0085", "\u009f",
                "\ud800", "x\ud83d", "\ude00x", "\ude00\ud83d"}) {
            assertFalse(PlainText.isPlain(bad), bad);
        }
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> PlainText.require("title", "a\u0000b"));
        assertEquals(400, refused.status());
        assertEquals("'title' must not contain control characters (other than tab and newline) or unpaired surrogates",
                refused.getMessage());
    }
}
