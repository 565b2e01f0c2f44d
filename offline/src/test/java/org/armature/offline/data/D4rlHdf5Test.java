package org.armature.offline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.MalformedDatasetException;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Episode;
import org.armature.offline.Python;
import org.armature.agents.data.DatasetBuilder;
import org.armature.offline.data.D4rlHdf5;
import org.armature.offline.data.Hdf5EpisodeSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class D4rlHdf5Test {

    @TempDir
    Path dir;

    /** A small dataset: 3 episodes (terminal, timeout, cut at the end) with infos. */
    static OfflineDataset sample(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DatasetBuilder b = new DatasetBuilder(3, 2, true);
        int[] lengths = {5, 7, 4};
        for (int e = 0; e < lengths.length; e++) {
            int t = lengths[e];
            float[] o = new float[(t + 1) * 3];
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) rng.nextGaussian();
            }
            float[] a = new float[t * 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextDouble(-1, 1);
            }
            float[] r = new float[t];
            for (int i = 0; i < t; i++) {
                r[i] = (float) rng.nextDouble();
            }
            boolean[] te = new boolean[t];
            boolean[] tr = new boolean[t];
            te[t - 1] = e == 0;
            tr[t - 1] = e == 1;
            double[] dist = new double[t];
            boolean[] succ = new boolean[t];
            for (int i = 0; i < t; i++) {
                dist[i] = rng.nextDouble();
                succ[i] = rng.nextBoolean();
            }
            Map<String, Object> inf = new LinkedHashMap<>();
            inf.put("distance", dist);
            inf.put("success", succ);
            b.addEpisode(o, a, r, te, tr, inf);
        }
        return b.build(DatasetMetadata.of("Pendulum-v1", "random", 7L, new long[]{7, 8, 9}));
    }

    @Test
    void roundTripKeepsArraysAndMetadata() throws Exception {
        OfflineDataset d = sample(1);
        Path f = D4rlHdf5.write(d, dir.resolve("d.h5"));
        OfflineDataset r = D4rlHdf5.read(f);
        assertEquals(16, r.size());
        assertEquals(3, r.episodeCount());
        assertArrayEquals(d.observations(), r.observations());
        assertArrayEquals(d.actions(), r.actions());
        assertArrayEquals(d.rewards(), r.rewards());
        assertArrayEquals(d.terminals(), r.terminals());
        assertArrayEquals(d.timeouts(), r.timeouts());
        assertArrayEquals(d.nextObservations(), r.nextObservations());
        assertArrayEquals((double[]) d.infos().get("distance"), (double[]) r.infos().get("distance"));
        assertArrayEquals((boolean[]) d.infos().get("success"), (boolean[]) r.infos().get("success"));
        assertEquals("Pendulum-v1", r.metadata().envId());
        assertEquals("random", r.metadata().collectionPolicy());
        assertEquals(7L, r.metadata().collectionSeed());
        assertArrayEquals(new long[]{7, 8, 9}, r.metadata().episodeResetSeeds());
        assertEquals(DatasetMetadata.currentVersion(), r.metadata().armatureVersion());
        // episode flags: terminal, timeout, and the episode that was cut is a timeout too
        assertTrue(r.terminals()[4]);
        assertTrue(r.timeouts()[11]);
        assertTrue(r.timeouts()[15]);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void derivedNextObservationsMatchD4rlQlearningDataset() {
        OfflineDataset d = sample(2);
        OfflineDataset noNext = new OfflineDataset(3, 2, d.observations(), d.actions(), d.rewards(), d.terminals(),
                d.timeouts(), null, d.infos(), d.metadata());
        OfflineDataset q = noNext.withNextObservations();
        // terminal episode keeps all 5 steps, the two timeout episodes lose their last step
        assertEquals(5 + 6 + 3, q.size());
        assertEquals(3, q.episodeCount());
        float[] o = new float[3];
        float[] n = new float[3];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(q.nextObservations(), i * 3, n, 0, 3);
            d.observation(i + 1, o);
            assertArrayEquals(o, n);
        }
        assertTrue(q.timeouts()[5 + 6 - 1]);
        assertTrue(q.terminals()[4]);
    }

    private Path writeRaw(String name, java.util.function.Consumer<WritableHdfFile> body) {
        Path f = dir.resolve(name);
        try (WritableHdfFile h = HdfFile.write(f)) {
            body.accept(h);
        }
        return f;
    }

    @Test
    void missingKeyIsNamed() {
        Path f = writeRaw("m.h5", h -> {
            h.putDataset("observations", new float[][]{{1}, {2}});
            h.putDataset("rewards", new float[]{1, 2});
            h.putDataset("terminals", new boolean[]{false, true});
        });
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> D4rlHdf5.read(f));
        assertTrue(e.getMessage().contains("'actions'") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void mismatchedLengthsAreNamed() {
        Path f = writeRaw("l.h5", h -> {
            h.putDataset("observations", new float[][]{{1}, {2}, {3}});
            h.putDataset("actions", new float[][]{{1}, {2}, {3}});
            h.putDataset("rewards", new float[]{1, 2});
            h.putDataset("terminals", new boolean[]{false, false, true});
        });
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> D4rlHdf5.read(f));
        assertTrue(e.getMessage().contains("'rewards'") && e.getMessage().contains("mismatched"), e.getMessage());
    }

    @Test
    void nanRewardIsNamedWithItsIndex() {
        Path f = writeRaw("n.h5", h -> {
            h.putDataset("observations", new float[][]{{1}, {2}, {3}});
            h.putDataset("actions", new float[][]{{1}, {2}, {3}});
            h.putDataset("rewards", new float[]{1, Float.NaN, 0});
            h.putDataset("terminals", new boolean[]{false, false, true});
        });
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> D4rlHdf5.read(f));
        assertTrue(e.getMessage().contains("'rewards'") && e.getMessage().contains("NaN")
                && e.getMessage().contains("transition 1"), e.getMessage());
    }

    @Test
    void notHdf5IsAClearError() throws Exception {
        Path f = dir.resolve("x.h5");
        Files.writeString(f, "hello");
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> D4rlHdf5.read(f));
        assertTrue(e.getMessage().contains("HDF5"), e.getMessage());
        assertThrows(MalformedDatasetException.class, () -> D4rlHdf5.read(dir.resolve("none.h5")));
    }

    @Test
    void episodeSinkWritesOnCloseOnly() {
        Path f = dir.resolve("sink.h5");
        Hdf5EpisodeSink sink = new Hdf5EpisodeSink(f, DatasetMetadata.of("Pendulum-v1", "random", 0L, null));
        float[][] obs = {{0, 0}, {1, 1}, {2, 2}};
        float[][] act = {{0.5f}, {-0.5f}};
        sink.accept(new Episode("Pendulum-v1", 11L, obs, act, new double[]{1, 2},
                List.of(Map.of("success", false), Map.of("success", true)), false, true));
        sink.accept(new Episode("Pendulum-v1", 12L, obs, act, new double[]{3, 4},
                List.of(Map.of("success", false), Map.of("success", false)), true, false));
        assertFalse(Files.exists(f), "nothing on disk before close");
        sink.close();
        OfflineDataset d = D4rlHdf5.read(f);
        assertEquals(4, d.size());
        assertEquals(2, d.episodeCount());
        assertArrayEquals(new long[]{11, 12}, d.metadata().episodeResetSeeds());
        assertArrayEquals(new float[]{1, 1, 2, 2, 1, 1, 2, 2}, d.nextObservations());
        assertArrayEquals(new boolean[]{false, true, false, false}, (boolean[]) d.infos().get("success"));
        assertArrayEquals(new boolean[]{false, false, false, true}, d.terminals());
        assertArrayEquals(new boolean[]{false, true, false, false}, d.timeouts());
        assertEquals(3.0, d.trajectories().episodeReturn(0));
    }

    @Test
    void recordEpisodesWrapperWritesThroughTheSink() {
        Path f = dir.resolve("rec.h5");
        var env = new org.armature.envs.wrappers.RecordEpisodes(org.armature.envs.Envs.make("Pendulum-v1"),
                new Hdf5EpisodeSink(f, DatasetMetadata.of("Pendulum-v1", "constant", 5L, null)));
        for (long seed : new long[]{5, 6}) {
            env.reset(seed);
            boolean done = false;
            while (!done) {
                done = env.step(new float[]{0.5f}).done();
            }
        }
        env.reset(7);
        for (int i = 0; i < 10; i++) {
            env.step(new float[]{3f}); // clipped to 2 in the record
        }
        assertFalse(Files.exists(f));
        env.close();
        OfflineDataset d = D4rlHdf5.read(f);
        assertEquals(3, d.episodeCount());
        assertEquals(410, d.size());
        assertArrayEquals(new long[]{5, 6, 7}, d.metadata().episodeResetSeeds());
        assertEquals(2f, d.actions()[409]);
        assertTrue(d.timeouts()[199] && d.timeouts()[399] && d.timeouts()[409]);
    }

    // ---- h5py interop ----

    @Test
    void h5pyWrittenD4rlFileLoads() throws Exception {
        Python.assumeH5py();
        Path f = dir.resolve("py.h5");
        Path json = dir.resolve("py.json");
        Python.runOk("""
                import sys, json, h5py, numpy as np
                r = np.random.default_rng(0)
                N = 40
                obs = r.normal(size=(N, 4)).astype(np.float32)
                act = r.uniform(-1, 1, size=(N, 2)).astype(np.float32)
                rew = r.normal(size=N)  # float64, as some D4RL files have
                term = np.zeros(N, dtype=bool); term[9] = True
                to = np.zeros(N, dtype=bool); to[24] = True
                qpos = r.normal(size=(N, 3))
                with h5py.File(sys.argv[1], 'w') as h:
                    h.create_dataset('observations', data=obs, compression='gzip')
                    h.create_dataset('actions', data=act, compression='gzip')
                    h.create_dataset('rewards', data=rew, compression='gzip')
                    h.create_dataset('terminals', data=term, compression='gzip')
                    h.create_dataset('timeouts', data=to)
                    h.create_dataset('infos/qpos', data=qpos)
                    h.attrs['env_id'] = 'Hopper-v1'
                    h.attrs['collection_seed'] = np.int64(5)
                json.dump({'obs': obs.ravel().tolist(), 'act': act.ravel().tolist(),
                           'rew': rew.astype(np.float32).tolist(), 'term': term.tolist(), 'to': to.tolist(),
                           'qpos': qpos.tolist()}, open(sys.argv[2], 'w'))
                """, f.toString(), json.toString());
        OfflineDataset d = D4rlHdf5.read(f);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(40, d.size());
        assertEquals(4, d.observationDim());
        assertEquals(2, d.actionDim());
        assertArrayEquals(floats(j.get("obs")), d.observations());
        assertArrayEquals(floats(j.get("act")), d.actions());
        assertArrayEquals(floats(j.get("rew")), d.rewards());
        for (int i = 0; i < 40; i++) {
            assertEquals(j.get("term").get(i).asBoolean(), d.terminals()[i]);
            assertEquals(j.get("to").get(i).asBoolean(), d.timeouts()[i]);
        }
        double[][] qpos = (double[][]) d.infos().get("qpos");
        assertEquals(j.get("qpos").get(7).get(2).asDouble(), qpos[7][2]);
        assertFalse(d.hasNextObservations());
        assertEquals(3, d.episodeCount());
        assertEquals("Hopper-v1", d.metadata().envId());
        assertEquals(5L, d.metadata().collectionSeed());
    }

    @Test
    void armatureWrittenFileLoadsInH5pyWithIdenticalArrays() throws Exception {
        Python.assumeH5py();
        OfflineDataset d = sample(3);
        Path f = D4rlHdf5.write(d, dir.resolve("a.h5"));
        String out = Python.runOk("""
                import sys, json, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as h:
                    res = {k: h[k][()].ravel().tolist() for k in
                           ['observations', 'actions', 'rewards', 'terminals', 'timeouts', 'next_observations']}
                    res['shapes'] = {k: list(h[k].shape) for k in ['observations', 'actions', 'rewards']}
                    res['dtypes'] = {k: str(h[k].dtype) for k in ['observations', 'actions', 'rewards']}
                    res['distance'] = h['infos/distance'][()].tolist()
                    res['success'] = h['infos/success'][()].astype(bool).tolist()
                    a = h.attrs
                    dec = lambda v: v.decode() if isinstance(v, bytes) else str(v)
                    res['env_id'] = dec(a['env_id'])
                    res['seeds'] = [int(x) for x in a['episode_reset_seeds']]
                    res['version'] = dec(a['armature_version'])
                print(json.dumps(res))
                """, f.toString());
        JsonNode j = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertArrayEquals(d.observations(), floats(j.get("observations")));
        assertArrayEquals(d.actions(), floats(j.get("actions")));
        assertArrayEquals(d.rewards(), floats(j.get("rewards")));
        assertArrayEquals(d.nextObservations(), floats(j.get("next_observations")));
        for (int i = 0; i < d.size(); i++) {
            assertEquals(d.terminals()[i], j.get("terminals").get(i).asInt() != 0);
            assertEquals(d.timeouts()[i], j.get("timeouts").get(i).asInt() != 0);
            assertEquals(((double[]) d.infos().get("distance"))[i], j.get("distance").get(i).asDouble());
            assertEquals(((boolean[]) d.infos().get("success"))[i], j.get("success").get(i).asBoolean());
        }
        assertEquals("[16,3]", j.get("shapes").get("observations").toString());
        assertEquals("float32", j.get("dtypes").get("observations").asText());
        assertEquals("float32", j.get("dtypes").get("rewards").asText());
        assertEquals("Pendulum-v1", j.get("env_id").asText());
        assertEquals("[7,8,9]", j.get("seeds").toString());
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    @Test
    void nullMetadataFieldsAreOmitted() {
        OfflineDataset d = sample(4).withMetadata(DatasetMetadata.empty());
        OfflineDataset r = D4rlHdf5.read(D4rlHdf5.write(d, dir.resolve("e.h5")));
        assertNull(r.metadata().envId());
        assertNull(r.metadata().episodeResetSeeds());
    }
}
