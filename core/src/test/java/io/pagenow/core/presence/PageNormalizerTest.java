package io.pagenow.core.presence;

import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.testing.LastLabelsDomains;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a client says it is viewing, turned into what friends see. */
class PageNormalizerTest {

    private final PageNormalizer pages = new PageNormalizer(new LastLabelsDomains());

    private Page normalize(String url, String title) {
        return pages.normalize(url, title, Optional.empty());
    }

    @Test
    void aWebPageKeepsItsUrlAndTitleAndGetsItsRegistrableDomain() {
        assertEquals(new Page("https://news.bbc.co.uk/x?q=1#top", "BBC", "bbc.co.uk"),
                normalize("https://news.bbc.co.uk/x?q=1#top", "BBC"));
        assertEquals(new Page("HTTP://Sub.Example.COM:8080/a", "A", "example.com"),
                normalize("HTTP://Sub.Example.COM:8080/a", "A"));
        assertEquals("example.com", normalize("https://user:pw@www.example.com/p", "t").domain());
        assertEquals("[::1]", normalize("http://[::1]:8080/p", "t").domain());
    }

    @Test
    void aPageThatIsNotOnTheWebIsNoPage() {
        for (String url : new String[] {
                "file:///home/alice/contract.pdf",
                "FILE:///C:/Users/alice/secret.docx",
                "chrome://newtab/",
                "chrome-extension://abcdef/options.html",
                "about:blank",
                "javascript:alert(document.cookie)",
                "data:text/html,<h1>hi</h1>",
                "view-source:https://example.com/",
                "blob:https://example.com/1234",
                "ftp://example.com/file",
                "httpx://example.com/",
                " https://example.com/",
                "//example.com/no-scheme",
                "not a url",
                ""}) {
            assertEquals(Page.EMPTY, normalize(url, "a title"), url);
        }
    }

    @Test
    void theDomainComesFromTheOriginalUrl() {
        // A host so long that the cut falls inside it: the shortened URL names no whole host, but
        // the page is still bbc.co.uk's.
        String url = "https://" + "a.".repeat(1100) + "news.bbc.co.uk/sport";

        Page page = normalize(url, "Sport");

        assertEquals("bbc.co.uk", page.domain());
        assertEquals(url.substring(0, PageShortening.MAX_URL_LENGTH), page.url());
    }

    @Test
    void shareSettingsJudgeTheOriginalDomain() {
        ShareSettings noBbc = new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of("bbc.co.uk"));
        String url = "https://" + "a.".repeat(1100) + "news.bbc.co.uk/sport";

        assertEquals(Page.EMPTY, pages.normalize(url, "Sport", Optional.of(noBbc)));
    }

    @Test
    void credentialsInTheUrlAreNeverShared() {
        assertEquals(new Page("https://www.example.com/p?q=1", "t", "example.com"),
                normalize("https://user:pw@www.example.com/p?q=1", "t"));
        assertEquals("http://host.example.org:8080/", normalize("http://a@b:c@host.example.org:8080/", "t").url());
        assertEquals("https://news.bbc.co.uk/sport",
                normalize("https://" + "u".repeat(2100) + ":secret@news.bbc.co.uk/sport", "Sport").url());
    }

    @Test
    void anOverLongPageIsSharedShortened() {
        String path = "https://docs.example.com/d/1234/edit";
        String url = path + "?usp=" + "x".repeat(5000) + "#heading=h.1";

        assertEquals(new Page(path, "t".repeat(511) + "\u2026", "example.com"), normalize(url, "t".repeat(600)));
    }

    @Test
    void theDomainIsFoundWhateverTheQueryHolds() {
        // Browsers leave | { } ^ and the like unescaped in queries; they must not lose the domain.
        assertEquals("example.com", normalize("https://www.example.com/s?q=a|b&f={\"x\":1}^2 3", "t").domain());
        assertEquals("example.com", normalize("https://www.example.com/a|b/%zz", "t").domain());
    }

    @Test
    void anIdnHostGivesTheDomainInTheFormBrowsersSend() {
        assertEquals("xn--bcher-kva.com", normalize("https://www.b\u00fccher.com/x", "t").domain());
        assertEquals("xn--bcher-kva.com", normalize("https://www.xn--bcher-kva.com/x", "t").domain());
        assertEquals("xn--bcher-kva.com", normalize("https://www.B\u00dcCHER.com/x", "t").domain());
        assertEquals("https://www.b\u00fccher.com/x", normalize("https://www.b\u00fccher.com/x", "t").url(),
                "the URL is shared as sent");
    }
}
