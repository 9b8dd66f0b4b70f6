package io.pagenow.db.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a schema holds, in a form two schemas can be compared by: its structure without names
 * that depend on the schema (columns, constraint and index definitions), and every row.
 */
public final class SchemaSnapshot {

    private SchemaSnapshot() {
    }

    /** Tables, columns (type, nullability, default, collation), constraints and indexes, sorted. */
    public static TreeSet<String> structure(Connection c, String schema) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        query(c, "SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')"
                + " || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END"
                + " || coalesce(' default ' || column_default, '') || coalesce(' collate ' || collation_name, '')"
                + " FROM information_schema.columns WHERE table_schema = ? AND table_name <> 'flyway_schema_history'",
                schema, lines);
        query(c, "SELECT t.relname || ' ' || replace(pg_get_constraintdef(k.oid), n.nspname || '.', '') FROM pg_constraint k"
                + " JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname <> 'flyway_schema_history'", schema, lines);
        // Index definitions without their (generated or inherited) names.
        query(c, "SELECT regexp_replace(replace(indexdef, schemaname || '.', ''), 'INDEX \\S+ ON', 'INDEX ON')"
                + " FROM pg_indexes WHERE schemaname = ? AND tablename <> 'flyway_schema_history'", schema, lines);
        return lines;
    }

    /** Every row of every table of the schema (the migration history included), as text. */
    public static TreeMap<String, List<String>> rows(Connection c, String schema) throws SQLException {
        TreeMap<String, List<String>> rows = new TreeMap<>();
        TreeSet<String> tables = new TreeSet<>();
        query(c, "SELECT tablename FROM pg_tables WHERE schemaname = ?", schema, tables);
        for (String table : tables) {
            List<String> tableRows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT t::text FROM " + schema + "." + table + " t ORDER BY 1");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    tableRows.add(rs.getString(1));
                }
            }
            rows.put(table, tableRows);
        }
        return rows;
    }

    private static void query(Connection c, String sql, String schema, java.util.Collection<String> into)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, schema);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    into.add(rs.getString(1));
                }
            }
        }
    }
}
