package org.armature.envs;

import static org.junit.jupiter.api.Assertions.*;

import org.armature.envs.wrappers.TimeLimit;
import org.junit.jupiter.api.Test;

class EnvFamilyTest {

    @Test
    void denseAndSparseVariantsOfOneTaskAreOneFamilyOtherTasksAreNot() {
        assertEquals("PegInsert", Envs.family("PegInsertSparse-v1"));
        assertTrue(Envs.sameFamily("PegInsert-v1", "PegInsertSparse-v1"));
        assertTrue(Envs.sameFamily("ReachSparse-v1", "Reach-v1"));
        assertTrue(Envs.sameFamily("Hopper-v1", "Hopper-v2"), "versions of one task are one family");
        assertFalse(Envs.sameFamily("Hopper-v1", "Walker2d-v1"));
        assertFalse(Envs.sameFamily("Reach-v1", "PushT-v1"));
        assertFalse(Envs.sameFamily("PushTSparse-v1", "PegInsertSparse-v1"));
        for (String id : Envs.ids()) {
            assertFalse(Envs.family(id).isEmpty(), id);
        }
    }

    @Test
    void onlyTasksWithASuccessNotionDeclareOneAlsoThroughWrappers() {
        assertFalse(Envs.definesSuccess("Pendulum-v1"));
        assertFalse(Envs.definesSuccess("Hopper-v1"));
        assertTrue(Envs.definesSuccess("PegInsert-v1"));
        assertTrue(Envs.definesSuccess("ReachSparse-v1"));
        try (Env wrapped = Envs.make("PushT-v1")) {
            assertTrue(wrapped instanceof TimeLimit && wrapped.definesSuccess());
        }
        try (Env wrapped = Envs.make("Pendulum-v1")) {
            assertFalse(wrapped.definesSuccess());
        }
    }
}
