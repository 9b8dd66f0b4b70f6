package io.pagenow.javalin;

import io.pagenow.db.testing.TcpProxy;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A server started while PostgreSQL is down, with migrations on: it starts, {@code /ready} names
 * the database as down and calls answer 503; once the database answers the migrations run in the
 * background and it serves.
 */
class StartWithDatabaseDownTest {

    @Test
    void startsRefusesAndServesOnceTheDatabaseAppearsAndIsMigrated() throws Exception {
        try (TestSchema empty = TestSchema.create("start_down");
             TcpProxy proxy = TcpProxy.start(empty.address())) {
            proxy.stop();
            // The schema is empty, users included: the user directory's check is another test's subject.
            Map<String, String> env = Map.of("DATABASE_URL", empty.jdbcUrlAt("127.0.0.1", proxy.port()),
                    "DATABASE_USER", empty.user(), "DATABASE_PASSWORD", empty.password(),
                    "ALLOW_UNKNOWN_USERS", "true");
            try (TestServer server = TestServer.start(env)) {
                HttpResponse<String> ready = server.get("/ready", null);
                assertEquals(503, ready.statusCode());
                assertEquals("{\"status\":\"unavailable\",\"checks\":{\"postgres\":\"down\"}}", ready.body());
                String alice = server.token("alice");
                assertEquals("Service temporarily unavailable, please retry",
                        error(503, server.get("/conversations", alice)));

                proxy.restart();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (server.get("/ready", null).statusCode() != 200) {
                    if (System.nanoTime() > deadline) {
                        fail("not ready 20 s after the database appeared: " + server.get("/ready", null).body());
                    }
                    Thread.onSpinWait();
                }
                // The migrated schema starts without users, and the user directory admits only known ones.
                try (Connection c = empty.connect(); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO user_table (user_id, email, first_name, last_name)"
                            + " VALUES ('alice', 'alice@example.com', 'Alice', 'Kim')");
                }
                assertEquals("[]", ok(server.get("/conversations", alice)).toString(),
                        "migrated in the background, and serving");
            }
        }
    }
}
