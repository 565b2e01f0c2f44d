package org.armature.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.ignite.spi.IgniteSpiAdapter;
import org.apache.ignite.spi.IgniteSpiException;
import org.apache.ignite.spi.IgniteSpiMultipleInstancesSupport;
import org.apache.ignite.spi.collision.CollisionContext;
import org.apache.ignite.spi.collision.CollisionExternalListener;
import org.apache.ignite.spi.collision.CollisionJobContext;
import org.apache.ignite.spi.collision.CollisionSpi;

/**
 * The member's gate for jobs (Ignite's collision SPI, which decides when each arriving job runs): a job runs only when
 * its task is one of the classes on Armature's allow-list ({@link Members#ALLOW_LIST}); any other job is cancelled
 * before it runs, with a line naming it. Ignite's own internal jobs (cache and discovery housekeeping) do not pass
 * through this gate. Ignite's marshaller filter ({@code IGNITE_MARSHALLER_WHITELIST}) covers classes deserialised
 * through Java serialisation; this gate covers the job classes, which Ignite's binary format reads without it.
 */
@IgniteSpiMultipleInstancesSupport(true)
public final class JobAllowList extends IgniteSpiAdapter implements CollisionSpi {

    private final Set<String> allowed = read();

    private static Set<String> read() {
        Set<String> names = new HashSet<>();
        try (InputStream in = JobAllowList.class.getClassLoader().getResourceAsStream(Members.ALLOW_LIST)) {
            if (in == null) {
                throw new IllegalStateException(Members.ALLOW_LIST + " is missing from the cluster module");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Whether a job of task {@code taskName} may run here. */
    boolean allows(String taskName) {
        return allowed.contains(taskName);
    }

    @Override
    public synchronized void onCollision(CollisionContext ctx) {
        for (CollisionJobContext job : ctx.waitingJobs()) {
            String task = job.getTaskSession().getTaskName();
            if (allows(task)) {
                job.activate();
            } else {
                System.err.println("refused a job of task " + task + " from node " + job.getTaskSession()
                        .getTaskNodeId() + ": not on Armature's allow-list");
                job.cancel();
            }
        }
    }

    @Override
    public void setExternalCollisionListener(CollisionExternalListener listener) {
        // jobs are decided on arrival; nothing outside asks for a new decision
    }

    @Override
    public void spiStart(String igniteInstanceName) throws IgniteSpiException {
        // nothing to start
    }

    @Override
    public void spiStop() throws IgniteSpiException {
        // nothing to stop
    }
}
