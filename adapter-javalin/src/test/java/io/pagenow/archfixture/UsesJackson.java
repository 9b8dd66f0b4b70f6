package io.pagenow.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks "Jackson only in the protocol and the server" on purpose. */
public final class UsesJackson {
    public ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
