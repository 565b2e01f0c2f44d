package org.armature.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, from /proc/net/tcp{,6} and the process's socket inodes (Linux). */
final class ListeningSockets {

    private ListeningSockets() {
    }

    /** "address:port" of every listening TCP socket of process {@code pid} (IPv4 addresses in dotted form). */
    static Set<String> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing
                }
            }
        }
        Set<String> out = new TreeSet<>();
        for (String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path f = Path.of(table);
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
                String[] c = line.trim().split("\\s+");
                if (c.length > 9 && c[3].equals("0A") && inodes.contains(c[9])) { // 0A = LISTEN
                    out.add(address(c[1]));
                }
            }
        }
        return out;
    }

    private static String address(String hex) {
        String[] hp = hex.split(":");
        int port = Integer.parseInt(hp[1], 16);
        String v4 = hp[0].length() == 8 ? hp[0]
                : hp[0].startsWith("0000000000000000FFFF0000") ? hp[0].substring(24) : null; // IPv4-mapped IPv6
        if (v4 != null) {
            long a = Long.parseLong(v4, 16); // little-endian
            return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 24 & 0xff) + ":" + port;
        }
        return "[" + hp[0] + "]:" + port;
    }
}
