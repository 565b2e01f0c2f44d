package org.armature.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a PyTorch peer script (a benchmark's counterpart, e.g. {@code scripts/peers/torch_residual_update.py}) with
 * Debian's {@code /usr/bin/python3} on one thread, echoes what it prints, and returns its JSON result line.
 */
final class TorchPeer {

    static final String PYTHON = "/usr/bin/python3";
    static final String ECHO_PREFIX = "torch peer: ";

    private TorchPeer() {
    }

    /** Runs {@code peer args...} and returns the last stdout line that is a JSON object. */
    static JsonNode run(Path peer, List<String> args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException("--vs-torch: " + peer + " does not exist (expected a peer script such "
                    + "as scripts/peers/torch_residual_update.py)");
        }
        Process p = command(peer, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                System.out.println(ECHO_PREFIX + line);
                if (line.startsWith("{")) {
                    json = line;
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new Errors.UserException("the PyTorch peer " + peer + " exited with " + rc
                    + " (it needs Debian's python3-torch for " + PYTHON + ")");
        }
        if (json == null) {
            throw new Errors.UserException("the PyTorch peer " + peer + " printed no JSON result line");
        }
        return new ObjectMapper().readTree(json);
    }

    /** A number the peer reported, or an error naming the missing field. */
    /** {@code python3 peer args...} on one thread. */
    static ProcessBuilder command(Path peer, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, peer.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE"); // idle OpenMP threads must not spin on a shared machine
        return pb;
    }

    static double number(JsonNode result, String field, Path peer) {
        JsonNode v = result.get(field);
        if (v == null || !v.isNumber()) {
            throw new Errors.UserException("the PyTorch peer " + peer + " reported no number '" + field + "'");
        }
        return v.asDouble();
    }
}
