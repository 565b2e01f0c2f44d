package org.armature.offline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import org.armature.agents.data.MalformedDatasetException;
import org.armature.agents.data.OfflineDataset;
import org.armature.offline.Python;
import org.armature.offline.data.MinariImport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinariImportTest {

    @TempDir
    Path dir;

    private Path writeMinari(boolean badLength) throws Exception {
        Path data = dir.resolve("ds").resolve("data");
        Files.createDirectories(data);
        Path f = data.resolve("main_data.hdf5");
        try (WritableHdfFile h = HdfFile.write(f)) {
            // written out of order on purpose: episode_10 must come after episode_2
            for (int ep : new int[]{10, 2}) {
                WritableGroup g = h.putGroup("episode_" + ep);
                int t = ep == 2 ? 3 : 2;
                float[][] obs = new float[t + 1][2];
                for (int i = 0; i <= t; i++) {
                    obs[i][0] = ep;
                    obs[i][1] = i;
                }
                g.putDataset("observations", obs);
                g.putDataset("actions", new float[t][1]);
                g.putDataset("rewards", badLength ? new double[t + 1] : (ep == 2 ? new double[]{1, 2, 3}
                        : new double[]{10, 20}));
                boolean[] term = new boolean[t];
                boolean[] trunc = new boolean[t];
                term[t - 1] = ep == 2;
                trunc[t - 1] = ep == 10;
                g.putDataset("terminations", term);
                g.putDataset("truncations", trunc);
                g.putAttribute("seed", (long) ep * 100);
            }
            h.putAttribute("dataset_id", "pendulum/test-v0");
            h.putAttribute("env_spec", "{\"id\": \"Pendulum-v1\", \"max_episode_steps\": 200}");
        }
        return dir.resolve("ds");
    }

    @Test
    void importsEpisodesInIndexOrderWithNextObservations() throws Exception {
        OfflineDataset d = MinariImport.read(writeMinari(false));
        assertEquals(5, d.size());
        assertEquals(2, d.episodeCount());
        assertArrayEquals(new float[]{2, 0, 2, 1, 2, 2, 10, 0, 10, 1}, d.observations());
        assertArrayEquals(new float[]{2, 1, 2, 2, 2, 3, 10, 1, 10, 2}, d.nextObservations());
        assertArrayEquals(new float[]{1, 2, 3, 10, 20}, d.rewards());
        assertArrayEquals(new boolean[]{false, false, true, false, false}, d.terminals());
        assertArrayEquals(new boolean[]{false, false, false, false, true}, d.timeouts());
        assertArrayEquals(new long[]{200, 1000}, d.metadata().episodeResetSeeds());
        assertEquals("Pendulum-v1", d.metadata().envId());
        assertEquals("minari:pendulum/test-v0", d.metadata().collectionPolicy());
    }

    @Test
    void mismatchedEpisodeLengthsAreNamed() throws Exception {
        Path ds = writeMinari(true);
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> MinariImport.read(ds));
        assertTrue(e.getMessage().contains("episode_2/rewards") && e.getMessage().contains("mismatched"),
                e.getMessage());
    }

    @Test
    void h5pyWrittenMinariDatasetImports() throws Exception {
        Python.assumeH5py();
        Path data = dir.resolve("m").resolve("data");
        Files.createDirectories(data);
        Python.runOk("""
                import sys, json, h5py, numpy as np
                r = np.random.default_rng(1)
                with h5py.File(sys.argv[1], 'w') as h:
                    h.attrs['dataset_id'] = 'door/expert-v1'
                    h.attrs['env_spec'] = json.dumps({'id': 'AdroitHandDoor-v1'})
                    for ep, t in enumerate([4, 6]):
                        g = h.create_group(f'episode_{ep}')
                        g.attrs['id'] = ep
                        g.attrs['seed'] = 40 + ep
                        g.create_dataset('observations', data=np.arange((t + 1) * 3, dtype=np.float64).reshape(t + 1, 3) + 100 * ep)
                        g.create_dataset('actions', data=r.uniform(-1, 1, size=(t, 2)).astype(np.float32))
                        g.create_dataset('rewards', data=np.ones(t))
                        g.create_dataset('terminations', data=np.array([False] * (t - 1) + [ep == 0]))
                        g.create_dataset('truncations', data=np.array([False] * (t - 1) + [ep == 1]))
                        g.create_dataset('infos/success', data=np.array([False] * (t + 1)))
                """, data.resolve("main_data.hdf5").toString());
        OfflineDataset d = MinariImport.read(dir.resolve("m"));
        assertEquals(10, d.size());
        assertEquals(2, d.episodeCount());
        assertEquals(3, d.observationDim());
        assertEquals(100f, d.observations()[4 * 3]);
        assertEquals(3f, d.nextObservations()[0]);
        assertTrue(d.terminals()[3]);
        assertTrue(d.timeouts()[9]);
        assertArrayEquals(new long[]{40, 41}, d.metadata().episodeResetSeeds());
        assertEquals("AdroitHandDoor-v1", d.metadata().envId());
        assertEquals(10, ((boolean[]) d.infos().get("success")).length);
    }
}
