package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.COMPLETED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.TYPES;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;

import cn.qxqy.pipeline.testing.Api;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the service holds as far as the test has seen it accept (every project's state and accepted events), and the
 * answer DESIGN.md calls for to the next post: the envelope's rules, reference data, idempotency and
 * {@code expectedVersion} here, the project's own rules in {@link ReferenceModel}.
 */
final class ServiceModel {

    private static final Set<String> DETAIL_FIELDS = Set.of("name", "campaignId", "regionCode", "industryChain",
            "categories", "plannedInvestment", "annualPlannedInvestment", "zone", "owner", "projectCode");
    private static final Map<String, Set<String>> DATA_FIELDS = Map.of(
            RESERVED, DETAIL_FIELDS, CORRECTED, DETAIL_FIELDS,
            SIGNED, Set.of("signedInvestment", "investor"),
            STARTED, Set.of(), COMPLETED, Set.of(),
            REPORTED, Set.of("period", "investmentToDate"),
            RETRACTED, Set.of("reason"), WITHDRAWN, Set.of("reason"));
    private static final Set<String> AMOUNT_FIELDS = Set.of("plannedInvestment", "annualPlannedInvestment",
            "signedInvestment", "investmentToDate");
    private static final Set<String> ENVELOPE_FIELDS = Set.of("eventId", "type", "occurredOn", "expectedVersion",
            "data", "projectId");
    private static final Pattern PROJECT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    record Accepted(HistoryEvent event, long version, String contentKey) {
    }

    /** Every project the service accepted a reservation for, as its accepted events make it. */
    final Map<String, ModelProject> projects = new LinkedHashMap<>();
    final Map<String, List<HistoryEvent>> acceptedByProject = new LinkedHashMap<>();
    final Map<String, Accepted> acceptedById = new HashMap<>();
    final List<HistoryEvent> accepted = new ArrayList<>();
    private final Set<String> campaigns;

    ServiceModel(Set<String> campaigns) {
        this.campaigns = campaigns;
    }

    /** The answer DESIGN.md calls for, given what the service has accepted so far. */
    int expectedStatus(HistoryEvent e) {
        // The envelope and the types of its fields.
        if (e.batch && e.omitProjectId || !PROJECT_ID.matcher(e.projectId).matches()) {
            return 400;
        }
        if (!ENVELOPE_FIELDS.containsAll(e.envelope.keySet()) || !TYPES.contains(e.type) || e.occurredOn == null) {
            return 400;
        }
        Map<String, Object> d = e.data();
        if (!DATA_FIELDS.get(e.type).containsAll(d.keySet())) {
            return 400;
        }
        for (String field : AMOUNT_FIELDS) {
            if (d.containsKey(field) && ReferenceModel.dec(d.get(field)) == null) {
                return 400;
            }
        }
        if (d.get("period") != null && ReferenceModel.period(d.get("period")) == null) {
            return 400;
        }
        // Reference data.
        if (e.type.equals(RESERVED) || e.type.equals(CORRECTED)) {
            if (unknown(d.get("campaignId"), campaigns) || unknown(d.get("regionCode"), Set.copyOf(Catalog.REGIONS))
                    || unknown(d.get("industryChain"), Set.copyOf(Catalog.CHAINS))
                    || unknown(d.get("zone"), Set.copyOf(Catalog.ZONES))) {
                return 400;
            }
            if (d.get("categories") instanceof List<?> list
                    && list.stream().anyMatch(c -> unknown(c, Set.copyOf(Catalog.CATEGORIES)))) {
                return 400;
            }
        }
        // The same eventId again: the original result, or a conflict when the content differs.
        Accepted original = acceptedById.get(e.eventId());
        if (original != null) {
            return original.contentKey().equals(e.contentKey()) ? 200 : 409;
        }
        ModelProject p = projects.get(e.projectId);
        long version = p == null ? 0 : p.version;
        if (e.expectedVersion() != null && e.expectedVersion() != version) {
            return 409;
        }
        ReferenceModel.Verdict verdict = ReferenceModel.verdict(p, e, Api.TODAY);
        if (verdict != ReferenceModel.Verdict.ACCEPTED) {
            return verdict.status;
        }
        // Across projects: a project code is unique.
        String code = ReferenceModel.apply(p, e).projectCode;
        if (code != null && holderOf(code, e.projectId) != null) {
            return 409;
        }
        return 201;
    }

    private static boolean unknown(Object code, Set<String> known) {
        return code instanceof String s && !s.isBlank() && !known.contains(s);
    }

    private String holderOf(String code, String except) {
        return projects.values().stream().filter(q -> !q.id.equals(except) && code.equals(q.projectCode))
                .map(q -> q.id).findFirst().orElse(null);
    }

    /** Records an event the service accepted, with the project it leads to. */
    void accept(HistoryEvent e, ModelProject after) {
        projects.put(e.projectId, after);
        acceptedByProject.computeIfAbsent(e.projectId, k -> new ArrayList<>()).add(e);
        acceptedById.put(e.eventId(), new Accepted(e, after.version, e.contentKey()));
        accepted.add(e);
    }

    /** A copy of every project's state, for a batch whose predictions run ahead of what the service answers. */
    Map<String, ModelProject> snapshot() {
        Map<String, ModelProject> copy = new LinkedHashMap<>();
        projects.forEach((id, p) -> copy.put(id, p.copy()));
        return copy;
    }

    void restore(Map<String, ModelProject> snapshot) {
        projects.clear();
        projects.putAll(snapshot);
    }

    /**
     * Every project's state, folded again from scratch out of the accepted events alone; it must agree with the
     * state kept along the way, or the test itself is wrong.
     */
    Map<String, ModelProject> recompute() {
        Map<String, ModelProject> recomputed = new LinkedHashMap<>();
        acceptedByProject.forEach((id, events) -> {
            ModelProject p = null;
            for (HistoryEvent e : events) {
                p = ReferenceModel.apply(p, e);
            }
            recomputed.put(id, p);
        });
        if (!recomputed.keySet().equals(projects.keySet())) {
            throw new IllegalStateException("test bug: the live model and the recomputation differ");
        }
        recomputed.forEach((id, p) -> {
            ModelProject live = projects.get(id);
            if (live.version != p.version || !Objects.equals(live.stage, p.stage)) {
                throw new IllegalStateException("test bug: the live model and the recomputation differ for " + id);
            }
        });
        return recomputed;
    }
}
