package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/** Writes changes of projects into one set of read-model tables: the views, and the deltas of the aggregates. */
final class ProjectionWriter {

    /** A project went from {@code before} to {@code after}; {@code lastPosition} is the last event applied. */
    record Change(String projectId, DatedState before, DatedState after, long lastPosition) {
    }

    private ProjectionWriter() {
    }

    static Uni<Void> write(SqlConnection conn, ProjectionTables tables, List<Change> changes) {
        Aggregates deltas = new Aggregates();
        changes.forEach(c -> deltas.add(c.before(), c.after()));
        // Independent statements, sent together: the connection pipelines them in one round trip.
        return Uni.combine().all().unis(writeViews(conn, tables, changes), writeAggregates(conn, tables, deltas))
                .discardItems();
    }

    /** The changed projects' views. */
    static Uni<Void> writeViews(SqlConnection conn, ProjectionTables tables, List<Change> changes) {
        List<Tuple> inserts = new ArrayList<>();
        List<Tuple> updates = new ArrayList<>();
        for (Change c : changes) {
            Tuple row = ProjectView.values(c.projectId(), c.after(), c.lastPosition());
            (c.before().current().isKnown() ? updates : inserts).add(row);
        }
        Uni<Void> inserted = inserts.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(tables.insertViews).execute(columns(inserts, ProjectionTables.VIEW_TYPES)).replaceWithVoid();
        return Uni.combine().all().unis(inserted, batch(conn, tables.updateView, updates)).discardItems();
    }

    /** Adds the sums to the aggregate rows, in key order so that concurrent writers lock rows in one order. */
    static Uni<Void> writeAggregates(SqlConnection conn, ProjectionTables tables, Aggregates sums) {
        return Uni.combine().all().unis(
                batch(conn, tables.upsertFigures, rows(sums.figures, Figures::isZero, FiguresTable::values)),
                batch(conn, tables.upsertTimeline, rows(sums.timeline, Timeline.Entry::isZero, ProjectionWriter::timelineValues)),
                batch(conn, tables.upsertProgress, rows(sums.progress, ProgressGroups.Entry::isZero,
                        ProjectionWriter::progressValues)))
                .discardItems();
    }

    /**
     * A rebuild's totals into its empty aggregate tables: one statement per table, its rows as one array per column
     * ({@link ProjectionTables#insertAggregates}), where an upsert per row costs PostgreSQL a statement each.
     */
    static Uni<Void> insertAggregates(SqlConnection conn, ProjectionTables tables, Aggregates totals) {
        return Uni.combine().all().unis(
                insert(conn, tables.insertFigures, ProjectionTables.FIGURES_TYPES,
                        rows(totals.figures, Figures::isZero, FiguresTable::values)),
                insert(conn, tables.insertTimeline, ProjectionTables.TIMELINE_TYPES,
                        rows(totals.timeline, Timeline.Entry::isZero, ProjectionWriter::timelineValues)),
                insert(conn, tables.insertProgress, ProjectionTables.PROGRESS_TYPES,
                        rows(totals.progress, ProgressGroups.Entry::isZero, ProjectionWriter::progressValues)))
                .discardItems();
    }

    private static Uni<Void> insert(SqlConnection conn, String sql, List<String> types, List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(sql).execute(columns(rows, types)).replaceWithVoid();
    }

    private static Tuple timelineValues(Dated<Timeline.Key> row, Timeline.Entry delta) {
        return Tuple.of(row.key().campaignId(), row.key().month().toString(), row.key().milestone().name(),
                row.effectiveOn(), delta.projects(), delta.investment());
    }

    private static Tuple progressValues(Dated<ProgressGroups.Key> row, ProgressGroups.Entry delta) {
        return Tuple.from(List.of(row.key().campaignId(), row.key().regionCode(),
                row.key().categories().toArray(String[]::new), row.key().signed(), row.key().started(),
                row.key().completed(), row.effectiveOn(), delta.projects(),
                delta.annualPlannedInvestment(), delta.investmentToDate(), delta.investmentThisYear()));
    }

    /** The statement parameters of the rows that change, in key order. */
    private static <K extends Comparable<K>, V> List<Tuple> rows(Map<K, V> sums, Predicate<V> isZero,
                                                                BiFunction<K, V, Tuple> values) {
        List<Map.Entry<K, V>> changed = new ArrayList<>(sums.size());
        for (Map.Entry<K, V> sum : sums.entrySet()) {
            if (!isZero.test(sum.getValue())) {
                changed.add(sum);
            }
        }
        changed.sort(Map.Entry.comparingByKey());
        List<Tuple> rows = new ArrayList<>(changed.size());
        changed.forEach(row -> rows.add(values.apply(row.getKey(), row.getValue())));
        return rows;
    }

    /** Rows of values as one array per column, typed as {@code types} says ({@link ProjectionTables#unnestInsert}). */
    private static Tuple columns(List<Tuple> rows, List<String> types) {
        List<Object> columns = new ArrayList<>(types.size());
        for (int c = 0; c < types.size(); c++) {
            int column = c;
            columns.add(switch (types.get(c)) {
                case "bigint" -> rows.stream().map(row -> row.getLong(column)).toArray(Long[]::new);
                case "integer" -> rows.stream().map(row -> row.getInteger(column)).toArray(Integer[]::new);
                case "boolean" -> rows.stream().map(row -> row.getBoolean(column)).toArray(Boolean[]::new);
                case "date" -> rows.stream().map(row -> row.getLocalDate(column)).toArray(LocalDate[]::new);
                case "numeric" -> rows.stream().map(row -> row.getBigDecimal(column))
                        .map(amount -> amount == null ? null : amount.toPlainString()).toArray(String[]::new);
                case "text[]" -> rows.stream().map(row -> arrayLiteral((String[]) row.getValue(column)))
                        .toArray(String[]::new);
                default -> rows.stream().map(row -> row.getString(column)).toArray(String[]::new);
            });
        }
        return Tuple.from(columns);
    }

    /** PostgreSQL's text form of an array: every element quoted, backslashes and quotes escaped. */
    static String arrayLiteral(String[] values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            literal.append(i == 0 ? "\"" : ",\"")
                    .append(values[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    private static Uni<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
        return rows.isEmpty()
                ? Uni.createFrom().voidItem()
                : conn.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }
}
