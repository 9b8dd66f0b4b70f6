package io.pagenow.core.presence;

import java.util.Objects;

/** A web page as friends see it. {@code domain} is the registrable domain of {@code url}. */
public record Page(String url, String title, String domain) {

    /** A page the user does not share, or none at all. */
    public static final Page EMPTY = new Page("", "", "");

    public Page {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(domain, "domain");
    }

    public boolean isEmpty() {
        return url.isEmpty();
    }
}
