package io.pagenow.redis;

import io.pagenow.core.contract.ConnectionLookupContract;
import io.pagenow.core.delivery.ConnectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class RedisConnectionLookupTest extends ConnectionLookupContract {

    private String prefix;
    private RedisLive live;

    @BeforeEach
    void connect() {
        prefix = RedisTestSupport.freshPrefix();
        live = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n1"));
    }

    @AfterEach
    void close() {
        live.close();
        RedisTestSupport.deleteKeysUnder(prefix);
    }

    @Override
    protected ConnectionRegistry registry() {
        return live.registry();
    }
}
