package cn.qxqy.pipeline.eventstore;

/** An append the store cannot make whatever the event says: it conflicts with what is stored. */
public final class StoreConflict extends RuntimeException {

    public enum Kind {
        /** The caller's expectedVersion is not the project's version. */
        VERSION_CONFLICT,
        /** The eventId is stored with a different event. */
        EVENT_ID_REUSED,
        /** Another project holds the projectCode. */
        PROJECT_CODE_TAKEN
    }

    private final Kind kind;
    private final String field;

    public StoreConflict(Kind kind, String message) {
        this(kind, message, null);
    }

    /** @param field the event's field the conflict is about, e.g. data.projectCode */
    public StoreConflict(Kind kind, String message, String field) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The event's field the conflict is about, or null. */
    public String field() {
        return field;
    }
}
