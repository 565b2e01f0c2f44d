package org.armature.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster's keys, made with the JDK's {@code keytool}: a certificate authority ({@code ca.p12}, keep it off the
 * members) and one PKCS#12 keystore per member ({@code member-1.p12}, ...) holding the member's key, its certificate
 * signed by the CA and the CA certificate as the only trusted one, all under one random password ({@code password},
 * readable by the owner only). A member proves it holds a CA-signed key and accepts only peers that do (mutual TLS).
 */
public final class ClusterKeys {

    public static final String PASSWORD_FILE = "password";
    private static final String STOREPASS_ENV = "ARMATURE_KEYTOOL_STOREPASS";

    private ClusterKeys() {
    }

    /** Writes the CA and {@code members} member keystores into {@code out} (which must not exist or be empty). */
    public static List<Path> generate(Path out, int members) throws IOException {
        if (members < 1) {
            throw new IllegalArgumentException("--members must be >= 1, got " + members);
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new IllegalArgumentException(out + " already exists and is not an empty folder: keys are never "
                    + "overwritten; choose another --out");
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".tmp-");
        try {
            byte[] raw = new byte[18];
            new SecureRandom().nextBytes(raw);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Path pw = tmp.resolve(PASSWORD_FILE);
            Files.writeString(pw, password + "\n", StandardCharsets.UTF_8);
            restrict(pw);
            keytool(tmp, password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=Armature cluster CA", "-ext", "bc:c", "-validity", "3650",
                    "-keystore", "ca.p12", "-storetype", "PKCS12");
            keytool(tmp, password, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
            restrict(tmp.resolve("ca.p12"));
            List<Path> stores = new ArrayList<>();
            for (int i = 1; i <= members; i++) {
                String store = "member-" + i + ".p12";
                keytool(tmp, password, "-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=Armature cluster member " + i, "-validity", "3650", "-keystore", store,
                        "-storetype", "PKCS12");
                keytool(tmp, password, "-certreq", "-alias", "member", "-keystore", store, "-file", "member.csr");
                keytool(tmp, password, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "member.csr",
                        "-outfile", "member.crt", "-rfc", "-validity", "3650",
                        "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth,clientAuth");
                keytool(tmp, password, "-importcert", "-noprompt", "-alias", "cluster-ca", "-file", "ca.crt",
                        "-keystore", store);
                keytool(tmp, password, "-importcert", "-alias", "member", "-file", "member.crt", "-keystore", store);
                Files.delete(tmp.resolve("member.csr"));
                Files.delete(tmp.resolve("member.crt"));
                restrict(tmp.resolve(store));
                stores.add(out.resolve(store));
            }
            Files.deleteIfExists(out); // an empty folder
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return stores;
        } finally {
            if (Files.exists(tmp)) {
                org.armature.nn.ParamIO.deleteRecursively(tmp);
            }
        }
    }

    /**
     * Adds the certificate in {@code certFile} to {@code keystore}'s trusted entries (for tests and for joining two
     * CAs' members during a key rotation).
     */
    public static void trust(Path keystore, String password, Path certFile, String alias) throws IOException {
        keytool(keystore.toAbsolutePath().getParent(), password, "-importcert", "-noprompt", "-alias", alias,
                "-file", certFile.toAbsolutePath().toString(), "-keystore", keystore.toAbsolutePath().toString());
    }

    /** The password of the keystores in {@code keystore}'s folder ({@value #PASSWORD_FILE}). */
    public static String passwordFor(Path keystore) throws IOException {
        Path f = keystore.toAbsolutePath().getParent().resolve(PASSWORD_FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no " + PASSWORD_FILE + " file beside " + keystore + " (written by "
                    + "`armature cluster keys`), and ARMATURE_TLS_PASSWORD is not set");
        }
        return Files.readString(f, StandardCharsets.UTF_8).strip();
    }

    private static void keytool(Path dir, String password, String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // a short-lived JVM starts faster
        cmd.addAll(List.of(args));
        // the password reaches keytool through its environment, not its command line (visible in ps)
        cmd.addAll(List.of("-storepass:env", STOREPASS_ENV));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keypass:env", STOREPASS_ENV));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put(STOREPASS_ENV, password);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): "
                    + output.lines().reduce((a, b) -> b).orElse(""));
        }
    }

    private static void restrict(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
