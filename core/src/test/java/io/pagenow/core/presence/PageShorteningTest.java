package io.pagenow.core.presence;

import org.junit.jupiter.api.Test;

import static io.pagenow.core.presence.PageShortening.MAX_TITLE_LENGTH;
import static io.pagenow.core.presence.PageShortening.MAX_URL_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule that fits a page into 2,048 code points of URL and 512 of title. */
class PageShorteningTest {

    private static final String ORIGIN = "https://example.com";

    /** A URL of exactly {@code length} code points: the origin, then a path of 'p'. */
    private static String urlOf(int length) {
        return ORIGIN + "/" + "p".repeat(length - ORIGIN.length() - 1);
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    @Test
    void theLimitsStay() {
        assertEquals(2048, MAX_URL_LENGTH);
        assertEquals(512, MAX_TITLE_LENGTH);
    }

    @Test
    void aUrlWithinTheLimitIsKeptWhole() {
        String longest = urlOf(MAX_URL_LENGTH);
        assertSame(longest, PageShortening.url(longest));
        String withEverything = "https://example.com/a/b?q=1&r=2#section";
        assertSame(withEverything, PageShortening.url(withEverything));
    }

    @Test
    void firstTheFragmentGoes() {
        String path = urlOf(1000);
        String query = "?q=" + "x".repeat(500);
        String url = path + query + "#" + "f".repeat(1000);

        assertEquals(path + query, PageShortening.url(url), "without its fragment it fits: the query stays");
    }

    @Test
    void aQuestionMarkInTheFragmentIsNoQuery() {
        String url = urlOf(100) + "?keep=1#frag?not=a-query" + "f".repeat(3000);

        assertEquals(urlOf(100) + "?keep=1", PageShortening.url(url));
    }

    @Test
    void thenTheQueryGoes() {
        String path = urlOf(1500);
        String url = path + "?q=" + "x".repeat(1000) + "#top";

        assertEquals(path, PageShortening.url(url), "fragment and query both dropped");

        String longQueryNoFragment = path + "?SAMLRequest=" + "x".repeat(4000);
        assertEquals(path, PageShortening.url(longQueryNoFragment));
    }

    @Test
    void thenThePathIsCutAtTheLimit() {
        String longPath = urlOf(5000);
        String url = longPath + "?q=1#top";

        String shortened = PageShortening.url(url);

        assertEquals(longPath.substring(0, MAX_URL_LENGTH), shortened);
        assertEquals(MAX_URL_LENGTH, codePoints(shortened));
    }

    @Test
    void theLimitCountsCodePointsNotUtf16Units() {
        // 2,048 code points, but 4,000-odd UTF-16 units: within the limit.
        String emoji = ORIGIN + "/" + "\uD83D\uDE00".repeat(MAX_URL_LENGTH - ORIGIN.length() - 1);
        assertTrue(emoji.length() > MAX_URL_LENGTH);
        assertSame(emoji, PageShortening.url(emoji));

        String title = "\uD83D\uDE00".repeat(MAX_TITLE_LENGTH);
        assertSame(title, PageShortening.title(title));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        // The cut lands where a UTF-16 cut at 2,048 units would fall inside a pair.
        String url = ORIGIN + "/" + "\uD83D\uDE00".repeat(3000);

        String shortened = PageShortening.url(url);

        assertEquals(MAX_URL_LENGTH, codePoints(shortened));
        assertTrue(url.startsWith(shortened));
        assertFalse(Character.isHighSurrogate(shortened.charAt(shortened.length() - 1)), "no lone high surrogate");
        assertTrue(shortened.endsWith("\uD83D\uDE00"));
    }

    @Test
    void anIdnHostIsCutByCodePointsToo() {
        String url = "https://www.b\u00fccher.com/" + "\u00e4".repeat(3000) + "?q=\u00fc#x";

        String shortened = PageShortening.url(url);

        assertEquals(MAX_URL_LENGTH, codePoints(shortened));
        assertTrue(shortened.startsWith("https://www.b\u00fccher.com/\u00e4\u00e4"));
        assertTrue(url.startsWith(shortened));
    }

    @Test
    void aTitleWithinTheLimitIsKeptWhole() {
        String title = "t".repeat(MAX_TITLE_LENGTH);
        assertSame(title, PageShortening.title(title));
        assertSame("", PageShortening.title(""));
    }

    @Test
    void aLongTitleIsCutWithAnEllipsisWithinTheLimit() {
        String shortened = PageShortening.title("t".repeat(MAX_TITLE_LENGTH + 1));

        assertEquals("t".repeat(MAX_TITLE_LENGTH - 1) + "\u2026", shortened);
        assertEquals(MAX_TITLE_LENGTH, codePoints(shortened));
    }

    @Test
    void aLongTitleIsCutAtACodePointBoundary() {
        String title = "\uD55C\uAE00 " + "\uD83D\uDE00".repeat(20_000);

        String shortened = PageShortening.title(title);

        assertEquals(MAX_TITLE_LENGTH, codePoints(shortened));
        assertTrue(shortened.endsWith("\uD83D\uDE00\u2026"), "the pair before the ellipsis is whole");
        assertTrue(title.startsWith(shortened.substring(0, shortened.length() - 1)));
    }
}
