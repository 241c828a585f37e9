package cn.qxqy.pipeline.domain;

/** Why an event is refused; each kind maps to one HTTP status at the edge. */
public enum Rejection {
    /** A field breaks a rule of its own or of the project's dates (400). */
    INVALID_FIELD,
    /** The event is for a project that has no history and does not reserve it (404). */
    UNKNOWN_PROJECT,
    /** The project's stage does not allow the event, or the project exists already (409). */
    ILLEGAL_TRANSITION
}
