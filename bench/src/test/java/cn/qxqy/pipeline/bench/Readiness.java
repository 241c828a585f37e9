package cn.qxqy.pipeline.bench;

/** The /q/health/ready polls during the burst: how many were not UP (not 200), and the longest run of them. */
final class Readiness {

    private int polls;
    private int notUp;
    private int notUpWhilePosting;
    private int streak;
    private int longestStreak;

    /** @param status the HTTP status, -1 if the request failed */
    synchronized void poll(int status, boolean posting) {
        polls++;
        if (status == 200) {
            streak = 0;
            return;
        }
        notUp++;
        if (posting) {
            notUpWhilePosting++;
        }
        longestStreak = Math.max(longestStreak, ++streak);
    }

    synchronized int polls() {
        return polls;
    }

    synchronized int notUp() {
        return notUp;
    }

    synchronized int notUpWhilePosting() {
        return notUpWhilePosting;
    }

    synchronized int longestNotUpStreak() {
        return longestStreak;
    }
}
