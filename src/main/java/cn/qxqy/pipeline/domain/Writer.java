package cn.qxqy.pipeline.domain;

import java.util.List;
import java.util.Optional;

/**
 * A department that writes a project's events (报送单位), with the regions it holds: county codes of GB/T 2260 such as
 * 141123 (兴县). A code ending in 00 holds every region under it: 141100 is the whole of 吕梁, as the city-level 发改委
 * holds it.
 * <p>
 * Who may change a project: a department that holds the project's region and either reserved the project itself or
 * holds its whole city (a code ending in 00 above the region). A county department may not change what another
 * department reserved, even in its own county; the city's coordinating office may. A correction that moves a
 * project needs the new region held as well.
 */
public record Writer(String department, List<String> regions) {

    public Writer {
        regions = List.copyOf(regions);
    }

    /** Why the writer may not write an event. */
    public enum Refusal {
        /** The event's region, or the project's, is not one the writer holds (403). */
        REGION_NOT_HELD,
        /** Another department reserved the project, and the writer does not hold its whole city (403). */
        RESERVED_BY_ANOTHER
    }

    /** A refusal, the region it is about, the field that names that region, and why. */
    public record Denial(Refusal refusal, String regionCode, String field, Wording reason) {

        /** The reason in English. */
        public String message() {
            return reason.english();
        }
    }

    /**
     * Whether this writer may append {@code event} to a project in state {@code current} that {@code reservedBy}
     * reserved (null for a project not reserved yet).
     */
    public Optional<Denial> check(ProjectState current, String reservedBy, ProjectEvent event) {
        if (current.isKnown()) {
            String region = current.details().regionCode();
            if (!holds(region)) {
                return Optional.of(new Denial(Refusal.REGION_NOT_HELD, region, "projectId",
                        Wording.of("writer.project-region-not-held", region, department)));
            }
            if (reservedBy != null && !reservedBy.equals(department) && !coordinates(region)) {
                return Optional.of(new Denial(Refusal.RESERVED_BY_ANOTHER, region, "projectId",
                        Wording.of("writer.reserved-by-another", reservedBy)));
            }
        }
        String moveTo = event instanceof ProjectEvent.WithDetails withDetails ? withDetails.details().regionCode() : null;
        if (moveTo != null && !holds(moveTo)) {
            return Optional.of(new Denial(Refusal.REGION_NOT_HELD, moveTo, "data.regionCode",
                    Wording.of("writer.region-not-held", moveTo, department)));
        }
        return Optional.empty();
    }

    /** Whether the writer holds the region, itself or through a code above it. */
    public boolean holds(String regionCode) {
        return regionCode != null && regions.stream().anyMatch(held -> held.equals(regionCode)
                || (isWhole(held) && regionCode.startsWith(prefix(held))));
    }

    /** Whether the writer holds the region through a code for a whole city or province. */
    private boolean coordinates(String regionCode) {
        return regions.stream().anyMatch(held -> isWhole(held) && regionCode.startsWith(prefix(held)));
    }

    private static boolean isWhole(String code) {
        return code.length() == 6 && code.endsWith("00");
    }

    /** 141100 → 1411, 140000 → 14. */
    private static String prefix(String code) {
        String prefix = code;
        while (prefix.endsWith("00")) {
            prefix = prefix.substring(0, prefix.length() - 2);
        }
        return prefix;
    }
}
