package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.projection.Figures.StageFigures;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@link Figures} sit in the table {@code campaign_figures}. */
public final class FiguresTable {

    /** The figure columns, in the order of {@link #values}. */
    public static final List<String> COLUMNS;

    static {
        List<String> columns = new ArrayList<>(List.of("projects", "withdrawn", "planned_investment",
                "annual_planned_investment", "signed_investment", "investment_to_date", "investment_this_year"));
        for (var stage : Figures.MILESTONES) {
            String prefix = stage.name().toLowerCase(Locale.ROOT);
            columns.addAll(List.of(prefix + "_current", prefix + "_reached", prefix + "_planned_investment"));
        }
        COLUMNS = List.copyOf(columns);
    }

    private FiguresTable() {
    }

    static Tuple values(Dated<FigureKey> row, Figures f) {
        FigureKey key = row.key();
        List<Object> values = new ArrayList<>(List.of(key.campaignId(), key.dimension(), key.key(), row.effectiveOn(),
                f.projects(),
                f.withdrawn(), f.plannedInvestment(), f.annualPlannedInvestment(), f.signedInvestment(),
                f.investmentToDate(), f.investmentThisYear()));
        for (StageFigures s : f.stages()) {
            values.addAll(List.of(s.current(), s.reached(), s.plannedInvestment()));
        }
        return Tuple.from(values);
    }

    public static Figures fromRow(Row row) {
        List<StageFigures> stages = new ArrayList<>();
        for (var stage : Figures.MILESTONES) {
            String prefix = stage.name().toLowerCase(Locale.ROOT);
            stages.add(new StageFigures(row.getLong(prefix + "_current"), row.getLong(prefix + "_reached"),
                    money(row, prefix + "_planned_investment")));
        }
        return new Figures(row.getLong("projects"), row.getLong("withdrawn"), money(row, "planned_investment"),
                money(row, "annual_planned_investment"), money(row, "signed_investment"),
                money(row, "investment_to_date"), money(row, "investment_this_year"), List.copyOf(stages));
    }

    /** Sums keep 2 fraction digits however PostgreSQL scaled them. */
    private static BigDecimal money(Row row, String column) {
        return row.getBigDecimal(column).setScale(2);
    }
}
