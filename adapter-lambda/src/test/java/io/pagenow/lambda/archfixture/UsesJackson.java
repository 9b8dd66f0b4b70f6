package io.pagenow.lambda.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Breaks the adapter's allow-list on purpose: JSON data binding is the protocol module's business
 * (the adapter only streams the events' fields with jackson-core).
 */
public final class UsesJackson {
    public ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
