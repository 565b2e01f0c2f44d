package org.armature.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Helpers shared by {@code deploy} and {@code emulator}. */
final class BridgeOptions {

    private BridgeOptions() {
    }

    /** The shared HMAC key: the file's bytes, without a trailing newline; at least 16 bytes. */
    static byte[] readKey(Path file) {
        if (file == null) {
            return null;
        }
        byte[] k;
        try {
            k = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Errors.UserException("cannot read --key-file " + file + ": " + e.getMessage());
        }
        int n = k.length;
        while (n > 0 && (k[n - 1] == '\n' || k[n - 1] == '\r')) {
            n--;
        }
        if (n < 16) {
            throw new Errors.UserException("--key-file " + file + " holds " + n + " bytes; the HMAC key needs at "
                    + "least 16 (e.g. `head -c 32 /dev/urandom | base64 > key`)");
        }
        return Arrays.copyOf(k, n);
    }
}
