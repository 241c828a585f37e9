package cn.qxqy.pipeline.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The production jar reads its accounts from users.properties/roles.properties in a directory fixed at build time.
 * The same accounts as the benchmark's (bench Harness.ensureAccounts, a separate Maven module, hence this small copy):
 * what is missing is appended, an existing account is never changed.
 */
final class Accounts {

    static final Path DIR = Path.of("/deployments/config/security");
    static final String DEPARTMENT = "fgw";
    static final String DEPARTMENT_PASSWORD = "fgw-secret";
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-secret";

    private Accounts() {
    }

    static void ensure() throws IOException {
        Path users = DIR.resolve("users.properties");
        Path roles = DIR.resolve("roles.properties");
        Map<String, String> digests = Map.of(DEPARTMENT, digest(DEPARTMENT, DEPARTMENT_PASSWORD),
                ADMIN, digest(ADMIN, ADMIN_PASSWORD));
        Map<String, String> wantedRoles = Map.of(DEPARTMENT, "department", ADMIN, "admin");
        try {
            Files.createDirectories(DIR);
            Map<String, String> existingUsers = properties(users);
            Map<String, String> existingRoles = properties(roles);
            for (String user : wantedRoles.keySet()) {
                String digest = existingUsers.get(user);
                if (digest == null) {
                    append(users, user + "=" + digests.get(user));
                } else if (!digest.equalsIgnoreCase(digests.get(user))) {
                    throw new IllegalStateException(users + " has an account " + user
                            + " with another password than the fault tests' (" + user + "/…-secret)");
                }
                String role = existingRoles.get(user);
                if (role == null) {
                    append(roles, user + "=" + wantedRoles.get(user));
                } else if (!Arrays.asList(role.split("\\s*,\\s*")).contains(wantedRoles.get(user))) {
                    throw new IllegalStateException(roles + " gives " + user + " the roles '" + role + "', not "
                            + wantedRoles.get(user));
                }
            }
        } catch (IOException e) {
            throw new IOException("The production jar reads its accounts from " + DIR + " (fixed at build time) and "
                    + "the fault tests cannot write there (" + e + "). Create them once, e.g.:\n"
                    + "  sudo mkdir -p " + DIR + "\n"
                    + "  printf '" + DEPARTMENT + "=" + digests.get(DEPARTMENT) + "\\n" + ADMIN + "=" + digests.get(ADMIN)
                    + "\\n' | sudo tee -a " + users + "\n"
                    + "  printf '" + DEPARTMENT + "=department\\n" + ADMIN + "=admin\\n' | sudo tee -a " + roles, e);
        }
    }

    /** HEX(MD5(user:realm:password)), the form the jar's realm qxqy reads. */
    private static String digest(String user, String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest((user + ":qxqy:" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String l = line.trim();
                int eq = l.indexOf('=');
                if (!l.startsWith("#") && eq > 0) {
                    map.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
                }
            }
        }
        return map;
    }

    private static void append(Path file, String line) throws IOException {
        String separator = Files.exists(file) && Files.size(file) > 0 && !Files.readString(file).endsWith("\n") ? "\n" : "";
        Files.writeString(file, separator + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
