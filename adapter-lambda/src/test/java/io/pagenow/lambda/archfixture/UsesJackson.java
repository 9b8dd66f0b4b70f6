package io.pagenow.lambda.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks the adapter's allow-list on purpose: JSON is the protocol module's business. */
public final class UsesJackson {
    public ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
