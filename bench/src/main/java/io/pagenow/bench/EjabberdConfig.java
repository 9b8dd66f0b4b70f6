package io.pagenow.bench;

/**
 * The {@code ejabberd.yml} the comparison runs ejabberd with: HTTP on loopback with WebSocket and
 * the provisioning API, plain internal auth, rosters, and in the {@code mam} variant the message
 * archive on the bench's PostgreSQL. What ejabberd is configured with changes apart from how its
 * process is run ({@link Ejabberd}).
 */
final class EjabberdConfig {

    private EjabberdConfig() {
    }

    /** @param archive the PostgreSQL of the message archive; null for none */
    static String yaml(int port, Psql archive) {
        String sql = archive == null ? "" : """
                sql_type: pgsql
                sql_server: "%s"
                sql_port: %d
                sql_database: "%s"
                sql_username: "%s"
                sql_password: "%s"
                sql_pool_size: %d
                """.formatted(archive.host(), archive.port(), archive.database(), archive.user(), archive.password(),
                Ejabberd.SQL_POOL_SIZE);
        String mam = archive == null ? "" : """
                  mod_mam:
                    db_type: sql
                    default: always
                """;
        return """
                hosts: ["%s"]
                loglevel: warning
                certfiles: []
                listen:
                  -
                    port: %d
                    ip: "127.0.0.1"
                    module: ejabberd_http
                    backlog: 1024
                    request_handlers:
                      /ws: ejabberd_http_ws
                      /api: mod_http_api
                acl:
                  loopback:
                    ip: ["127.0.0.0/8"]
                api_permissions:
                  "bench provisioning":
                    from: [ejabberd_ctl, mod_http_api]
                    who:
                      acl: loopback
                    what: "*"
                auth_method: [internal]
                auth_password_format: plain
                max_fsm_queue: 1000000
                websocket_timeout: 600
                cache_size: 1000000
                %smodules:
                  mod_roster: {}
                  mod_admin_extra: {}
                  mod_http_api: {}
                %s""".formatted(Ejabberd.DOMAIN, port, sql, mam);
    }
}
