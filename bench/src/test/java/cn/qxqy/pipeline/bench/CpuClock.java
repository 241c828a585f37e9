package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * CPU time from /proc (user + system, in clock ticks, with that of exited children a process has reaped): of the
 * service's JVM, and of the infrastructure, which is the broker's JVM and PostgreSQL's postmaster with every backend it
 * started. A phase's CPU per event is the difference of two samples divided by its events. Load generator (this JVM)
 * and anything else on the machine are not counted.
 */
final class CpuClock {

    /** CPU used so far, in µs; -1 for a process that could not be read. */
    record Sample(long serviceMicros, long infraMicros) {

        Sample minus(Sample earlier) {
            return new Sample(serviceMicros - earlier.serviceMicros, infraMicros - earlier.infraMicros);
        }
    }

    private final long microsPerTick;

    CpuClock() {
        microsPerTick = 1_000_000L / clockTicksPerSecond();
    }

    Sample sample(long servicePid, long infraPid, long postmasterPid) {
        return new Sample(tree(servicePid), add(tree(infraPid), tree(postmasterPid)));
    }

    private static long add(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }

    /** The process's CPU and its descendants' (each counted once), in µs; -1 if the process is gone or unknown. */
    private long tree(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long ticks = 0;
        Set<Long> seen = new HashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
        todo.add(pid);
        boolean root = true;
        while (!todo.isEmpty()) {
            long p = todo.poll();
            if (!seen.add(p)) {
                continue;
            }
            long own = ticks(p);
            if (own < 0) {
                if (root) {
                    return -1;
                }
                continue; // a child that exited meanwhile: its time is in its parent's reaped children
            }
            root = false;
            ticks += own;
            todo.addAll(children(p));
        }
        return ticks * microsPerTick;
    }

    /** utime + stime + cutime + cstime (fields 14–17 of /proc/PID/stat), -1 if unreadable. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): field n is f[n - 3].
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Set<Long> children(long pid) {
        Set<Long> children = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                for (String child : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or a kernel without /proc/PID/task/TID/children: the process alone
        }
        return children;
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }
}
