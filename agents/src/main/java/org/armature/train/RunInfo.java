package org.armature.train;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Provenance helpers: git commit, Armature and library versions. */
public final class RunInfo {

    private RunInfo() {
    }

    /** {@code git rev-parse HEAD} of the working directory (+ "-dirty" with local changes), or "unknown". */
    public static String gitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null || head.isBlank()) {
                return "unknown";
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return head.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public static String armatureVersion() {
        String v = RunInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : mavenVersion("org.armature", "armature-agents", "0.1.0-SNAPSHOT");
    }

    static String mavenVersion(String group, String artifact, String fallback) {
        try (InputStream in = RunInfo.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact
                + "/pom.properties")) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", fallback);
        } catch (Exception e) {
            return fallback;
        }
    }

    /** versions.json contents. */
    public static String versionsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("armature", armatureVersion());
        m.put("git_commit", gitCommit());
        m.put("java", System.getProperty("java.version"));
        m.put("java_vm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("nd4j", mavenVersion("org.nd4j", "nd4j-api", "unknown"));
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        m.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        try {
            return Configs.JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
