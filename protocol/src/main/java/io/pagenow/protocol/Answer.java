package io.pagenow.protocol;

/**
 * What a route answers before the transport's status and headers: the JSON body, and the entity
 * tag a client may revalidate it with (null: the route has none).
 */
record Answer(String body, String etag) {

    static Answer untagged(String body) {
        return new Answer(body, null);
    }

    static Answer tagged(String body) {
        return new Answer(body, EntityTags.of(body));
    }
}
