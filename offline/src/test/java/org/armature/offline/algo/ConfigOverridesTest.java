package org.armature.offline.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigOverridesTest {

    @Test
    void overridesNamedFieldsInSnakeOrCamelCaseAndKeepTheRest() {
        Iql.Config c = Iql.Config.corl("Hopper-v1", 1000);
        Map<String, String> o = new LinkedHashMap<>();
        o.put("tau", "0.005");
        o.put("deterministic_actor", "false");
        o.put("actorLr", "1e-4");
        Iql.Config d = ConfigOverrides.apply(c, o, "iql");
        assertEquals(0.005, d.tau(), 0.0);
        assertEquals(false, d.deterministicActor());
        assertEquals(1e-4, d.actorLr(), 0.0);
        assertEquals(c.beta(), d.beta(), 0.0);
        assertEquals(c.totalSteps(), d.totalSteps());
    }

    @Test
    void unknownNamesAndBadValuesFailWithWhatWasExpected() {
        Cql.Config c = Cql.Config.corl();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(c, Map.of("betta", "3"), "cql"));
        assertTrue(unknown.getMessage().contains("cql has no hyperparameter 'betta'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("cql_alpha"), unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(c, Map.of("cql_alpha", "ten"), "cql"));
        assertTrue(bad.getMessage().contains("expected a finite number"), bad.getMessage());
        IllegalArgumentException notBool = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(c, Map.of("importance_sample", "yes"), "cql"));
        assertTrue(notBool.getMessage().contains("expected true or false"), notBool.getMessage());
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(c, Map.of("cql_actions", "2.5"), "cql"));
        assertTrue(notInt.getMessage().contains("expected an integer"), notInt.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(c, Map.of("cql_alpha", "NaN"), "cql"));
        // the record's own validation still runs
        Iql.Config i = Iql.Config.corl(10);
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(i, Map.of("quantile", "2"), "iql"));
        assertTrue(invalid.getMessage().contains("--quantile"), invalid.getMessage());
    }
}
