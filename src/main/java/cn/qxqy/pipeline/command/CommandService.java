package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.EventStore.Commit;
import cn.qxqy.pipeline.eventstore.EventStore.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The command side's one entry: a submission's project loaded and locked by the store, decided by
 * {@link ProjectCommands}, and appended when accepted; a refusal comes back typed ({@link Refusal}), for the edge
 * that received the event to word.
 */
@ApplicationScoped
public class CommandService {

    private final EventStore store;
    private final ProjectCommands commands;
    private final GroupCommit groupCommit;

    public CommandService(EventStore store, ProjectCommands commands, GroupCommit groupCommit) {
        this.store = store;
        this.commands = commands;
        this.groupCommit = groupCommit;
    }

    /** One event, committed together with whatever other events arrive at the same time. */
    public Uni<Outcome<Refusal>> append(Submission submission) {
        return groupCommit.append(submission);
    }

    /** A group in order in one transaction, storing what {@code commit} says; outcomes in the submissions' order. */
    public Uni<List<Outcome<Refusal>>> appendAll(List<Submission> submissions, Commit commit) {
        return store.appendAll(submissions, commit, commands);
    }
}
