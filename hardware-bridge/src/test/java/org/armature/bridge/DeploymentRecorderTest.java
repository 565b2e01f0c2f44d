package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.armature.offline.data.D4rlHdf5;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(40)
class DeploymentRecorderTest {

    @TempDir
    Path tmp;

    @Test
    void recordsOneRowPerDecisionUpToAFault() throws Exception {
        Path file = tmp.resolve("deploy.h5");
        try (SimLink link = new SimLink(Fixtures.reachRobot(9))) {
            link.connect();
            DeploymentRecorder rec = new DeploymentRecorder(file, 20, 7,
                    DatasetMetadata.of("Reach-v1", "test", null, null));
            // NaN after 30 decisions (0.75 s at 40 Hz)
            ControlLoop loop = Fixtures.loop(link, TestPolicies.nanAfter(20, 7, 30), 500, 0, Fixtures.tolerant(),
                    rec);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            rec.close();
            assertEquals(StopReason.NON_FINITE_ACTION, r.reason());
            OfflineDataset d = D4rlHdf5.read(file);
            assertEquals(30, d.size(), "one row per decision that produced a finite action");
            assertEquals(30, r.decisions());
            assertFalse(Files.exists(DeploymentRecorder.segmentsDir(file)));
            int[] stop = (int[]) d.infos().get("stop_reason");
            assertEquals(1 + StopReason.NON_FINITE_ACTION.ordinal(), stop[29]);
            assertEquals(0, stop[28]);
            assertTrue(d.timeouts()[29]);
            assertFalse(d.timeouts()[28]);
            float[][] raw = (float[][]) d.infos().get("raw_actions");
            assertEquals(0.1f, raw[5][0]);
            double[] ts = (double[]) d.infos().get("timestamps_s");
            assertEquals(29 * Fixtures.REACH_DT, ts[29], 0.05);
            // the sent actions: the raw 0.1 rad/unit targets, slowed by the soft start and rate limits
            for (int i = 0; i < d.size() * 7; i++) {
                assertTrue(Math.abs(d.actions()[i]) <= 1.0f);
            }
            assertEquals("Reach-v1", d.metadata().envId());
        }
    }

    @Test
    void aKilledDeploymentIsRecoveredUpToItsLastSecond() throws Exception {
        Path file = tmp.resolve("killed.h5");
        try (SimLink link = new SimLink(Fixtures.reachRobot(10))) {
            link.connect();
            DeploymentRecorder rec = new DeploymentRecorder(file, 20, 7,
                    DatasetMetadata.of("Reach-v1", "test", null, null));
            ControlLoop loop = Fixtures.loop(link, TestPolicies.constant(20, new float[7]), 500, 0,
                    Fixtures.tolerant(), rec);
            loop.start();
            Thread.sleep(1600);
            long rowsAtKill = rec.rows();
            // the process dies here: no close(), only what the flusher wrote is on disk
            assertTrue(Files.isDirectory(DeploymentRecorder.segmentsDir(file)));
            loop.requestStop();
            loop.await(5000);
            assertFalse(Files.exists(file));
            java.io.IOException busy = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new DeploymentRecorder(file, 20, 7, DatasetMetadata.empty()));
            assertTrue(busy.getMessage().contains("dataset recover"), busy.getMessage());
            Thread.sleep(50);
            OfflineDataset d = DeploymentRecorder.recover(file);
            assertNotNull(d);
            // flushed every 0.5 s: at most a second (40 decisions) is lost
            assertTrue(d.size() >= rowsAtKill - 40 && d.size() > 0, d.size() + " rows of " + rowsAtKill);
            assertEquals(d.size(), D4rlHdf5.read(file).size());
            assertTrue(d.timeouts()[d.size() - 1]);
            assertFalse(Files.exists(DeploymentRecorder.segmentsDir(file)));
        }
    }
}
