package cn.qxqy.pipeline.problem;

/** Ends a request, or one item of a batch, with a {@link Problem}. Carries no stack trace: it is an answer, not a fault. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
