package org.armature.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SweepSpecTest {

    private static SweepSpec parse(String json) throws Exception {
        return SweepSpec.parse(new ObjectMapper().readTree(json), "test.json");
    }

    @Test
    void gridTimesRandomSamplesTimesSeedsWithTheCommandLineEachRunGets() throws Exception {
        SweepSpec s = parse("{\"command\": \"train\", \"base\": {\"algo\": \"sac\", \"env\": \"Pendulum-v1\", "
                + "\"steps\": 20000, \"num_envs\": 2, \"overwrite_never\": false, "
                + "\"set\": {\"learning_starts\": 1000}},"
                + " \"grid\": {\"sac.policy_lr\": [0.0003, 0.001]}, \"random\": {\"sac.q_lr\": {\"log_uniform\": "
                + "[0.0001, 0.01]}, \"batch_size\": {\"choice\": [64, 256]}, \"samples\": 3}, \"seeds\": [1, 2]}");
        List<SweepSpec.Run> runs = s.runs();
        assertEquals(2 * 3 * 2, runs.size());
        assertEquals("c00-s1", runs.get(0).name());
        assertEquals("c05-s2", runs.get(11).name());
        assertEquals(List.of("--algo", "sac", "--env", "Pendulum-v1", "--steps", "20000", "--num-envs", "2", "--set",
                "learning_starts=1000"), runs.get(0).args().subList(0, 10));
        assertEquals("--set", runs.get(0).args().get(10));
        assertEquals("sac.policy_lr=0.0003", runs.get(0).args().get(11), "numbers as written");
        assertEquals(List.of("--seed", "2"), runs.get(1).args().subList(runs.get(1).args().size() - 2,
                runs.get(1).args().size()));
        for (int c = 0; c < 6; c++) {
            double q = Double.parseDouble(s.configs().get(c).get("sac.q_lr"));
            assertTrue(q >= 1e-4 && q <= 1e-2, "log-uniform draw in range: " + q);
            assertTrue(List.of("64", "256").contains(s.configs().get(c).get("batch_size")));
        }
        assertNotEquals(s.configs().get(0).get("sac.q_lr"), s.configs().get(1).get("sac.q_lr"));
        SweepSpec again = parse("{\"command\": \"train\", \"grid\": {\"sac.policy_lr\": [0.0003, 0.001]}, \"random\": "
                + "{\"sac.q_lr\": {\"log_uniform\": [0.0001, 0.01]}, \"batch_size\": {\"choice\": [64, 256]}, "
                + "\"samples\": 3}}");
        assertEquals(s.configs(), again.configs(), "draws come from Seeds: the same spec gives the same runs");
        assertTrue(s.label(0).startsWith("sac.policy_lr=0.0003 sac.q_lr="), s.label(0));
    }

    @Test
    void mistakesNameTheKey() {
        for (String[] bad : new String[][]{
                {"{\"command\": \"train\", \"seeds\": [1, 1]}", "seed 1 is listed twice"},
                {"{\"command\": \"train\", \"base\": {\"seed\": 3}}", "base.seed is set by the sweep"},
                {"{\"command\": \"train\", \"grid\": {\"gamma\": []}}", "grid.gamma must be a non-empty list"},
                {"{\"command\": \"train\", \"random\": {\"x\": {\"log_uniform\": [0, 1]}, \"samples\": 2}}",
                        "random.x must be"},
                {"{\"command\": \"train\", \"random\": {\"x\": {\"uniform\": [0, 1]}}}", "random.samples"},
                {"{\"command\": \"train\", \"grids\": {}}", "unknown key 'grids'"},
                {"{\"command\": \"eval\"}", "\"command\" must be one of"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad[0]), bad[0]);
            assertTrue(e.getMessage().startsWith("sweep spec test.json: ") && e.getMessage().contains(bad[1]),
                    e.getMessage());
        }
    }
}
