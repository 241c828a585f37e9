package cn.qxqy.pipeline.domain;

/**
 * The kinds of stream the event store keeps, each a sequence of versions 1, 2, … under its stream id. A project's
 * stream id is its projectId, which never holds a colon (the ingest's pattern); every other kind's is
 * {@code <prefix>:<id>}, which cannot be a projectId, so no department can post to it. A new kind of stream is one more
 * constant here, its event types registered in {@link EventTypes}.
 */
public enum StreamKind {
    PROJECT(""),
    CAMPAIGN("campaign:"),
    /** A follow-up item's answers (督办反馈), {@code follow-up:<item id>} ({@link FollowUpItemId}). */
    FOLLOW_UP("follow-up:");

    private final String prefix;

    StreamKind(String prefix) {
        this.prefix = prefix;
    }

    /** The stream id of the {@code id} of this kind: a projectId itself, {@code campaign:2024-qxqy} for a campaign. */
    public String streamId(String id) {
        return prefix + id;
    }

    /** The stream's kind, by its id's prefix. */
    public static StreamKind of(String streamId) {
        for (StreamKind kind : values()) {
            if (!kind.prefix.isEmpty() && streamId.startsWith(kind.prefix)) {
                return kind;
            }
        }
        return PROJECT;
    }

    /** Whether the stream is a project's. */
    public static boolean isProject(String streamId) {
        return streamId.indexOf(':') < 0;
    }
}
