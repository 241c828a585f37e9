package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 27: a memory cgroup of the Deployment's limit for the service, as Kubernetes would run it: a child of this
 * JVM's own memory cgroup (cgroup v1's memory controller, or cgroup v2 where the parent delegates memory), which the
 * service's process enters before its JVM starts ({@link #wrap}). Where the machine does not let the benchmark create
 * one, {@link #create} returns null and says why in the notes: the JVM settings' MaxRAM is then the only limit.
 */
final class MemoryCgroup {

    /** Its limit, peak usage and the times the limit was hit; {@code oomKills} -1 where the kernel does not count them. */
    record Usage(long limitBytes, long peakBytes, long limitHits, long oomKills) {
    }

    private final Path dir;
    private final boolean v2;

    private MemoryCgroup(Path dir, boolean v2) {
        this.dir = dir;
        this.v2 = v2;
    }

    static MemoryCgroup create(String name, int limitMiB, List<String> notes) {
        Path parent = null;
        boolean v2 = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                    parent = Path.of("/sys/fs/cgroup/memory" + f[2]);
                    v2 = false;
                    break;
                }
                if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                    Path unified = Path.of("/sys/fs/cgroup" + f[2]);
                    if (Files.isRegularFile(unified.resolve("cgroup.subtree_control"))
                            && Files.readString(unified.resolve("cgroup.subtree_control")).contains("memory")) {
                        parent = unified;
                        v2 = true;
                    }
                }
            }
            if (parent == null) {
                notes.add("no memory cgroup the benchmark could create (no memory controller delegated to it): the "
                        + "service's only memory limit is the JVM settings' MaxRAM");
                return null;
            }
            Path dir = parent.resolve(name);
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
            }
            long limit = limitMiB * 1024L * 1024L;
            Files.writeString(dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(limit));
            if (!v2 && Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                try {
                    // No swap beyond the limit either, as in a container without swap.
                    Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limit));
                } catch (IOException e) {
                    notes.add("the service's cgroup could not limit swap: " + e.getMessage());
                }
            }
            return new MemoryCgroup(dir, v2);
        } catch (IOException | RuntimeException e) {
            notes.add("could not create a memory cgroup under " + parent + " (" + e + "): the service's only memory "
                    + "limit is the JVM settings' MaxRAM");
            return null;
        }
    }

    /** The command run in the cgroup: a shell enters it, then becomes the command (same pid, exec). */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** What it used so far; null if it cannot be read. */
    Usage usage() {
        try {
            if (v2) {
                long limit = Long.parseLong(read("memory.max"));
                long peak = Files.exists(dir.resolve("memory.peak")) ? Long.parseLong(read("memory.peak")) : -1;
                return new Usage(limit, peak, field("memory.events", "max"), field("memory.events", "oom_kill"));
            }
            return new Usage(Long.parseLong(read("memory.limit_in_bytes")), Long.parseLong(read("memory.max_usage_in_bytes")),
                    Long.parseLong(read("memory.failcnt")), field("memory.oom_control", "oom_kill"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Removes it once the service has exited (a cgroup with a process in it stays). */
    void remove() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // still in use or gone: the kernel frees it with its last process
        }
    }

    private String read(String file) throws IOException {
        return Files.readString(dir.resolve(file)).trim();
    }

    /** A "name value" line of a flat-keyed file; -1 if absent. */
    private long field(String file, String name) throws IOException {
        for (String line : Files.readAllLines(dir.resolve(file))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(name)) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (cgroup %s)", dir, v2 ? "v2" : "v1");
    }
}
