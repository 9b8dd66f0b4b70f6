package io.pagenow.db;

/**
 * The {@code migrate} command: migrates the database named by {@code DATABASE_URL} (with
 * {@code DATABASE_USER} and {@code DATABASE_PASSWORD}) and exits 0, or prints why not and exits 1.
 */
public final class Migrate {

    private Migrate() {
    }

    public static void main(String[] args) {
        try {
            DatabaseUrl url = DatabaseUrl.parse(System.getenv("DATABASE_URL"), System.getenv("DATABASE_USER"),
                    System.getenv("DATABASE_PASSWORD"));
            int applied = Migrations.apply(url.jdbcUrl(), url.user(), url.password());
            System.out.println("migrate: " + url + ": " + (applied == 0 ? "already up to date"
                    : applied + " migration(s) applied"));
        } catch (RuntimeException e) {
            System.err.println("migrate: failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
