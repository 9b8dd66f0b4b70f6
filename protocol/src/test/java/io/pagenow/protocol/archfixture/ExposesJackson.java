package io.pagenow.protocol.archfixture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** Breaks the rule that the public API speaks no Jackson. */
public final class ExposesJackson {
    public JsonNode parsed() {
        return NullNode.getInstance();
    }
}
