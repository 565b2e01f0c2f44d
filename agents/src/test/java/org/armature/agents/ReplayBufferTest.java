package org.armature.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;

import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ReplayBufferTest {

    private static final double G = 0.9;

    /** One 5-step episode with rewards 1..5 ending as given; observation value = step index. */
    private static ReplayBuffer episode(boolean terminated, int numStreams) {
        ReplayBuffer rb = new ReplayBuffer(100, 1, 1, numStreams, Map.of("base_action", 1, "next_base_action", 1));
        for (int t = 0; t < 5; t++) {
            for (int s = 0; s < numStreams; s++) {
                boolean last = t == 4;
                int slot = rb.add(new float[]{t + 100 * s}, new float[]{0.5f}, t + 1, new float[]{t + 1 + 100 * s},
                        last && terminated, last && !terminated);
                rb.putExtra(slot, "base_action", new float[]{-t});
                rb.putExtra(slot, "next_base_action", new float[]{-(t + 1)});
            }
        }
        return rb;
    }

    @Test
    void oneStepTargetsKeepTerminalAndTimeoutApart() {
        Batch b = new Batch(1, 1, 1, DataType.FLOAT);
        ReplayBuffer timeout = episode(false, 1);
        timeout.fillRow(b, 0, 4, 1, G);
        assertEquals(5.0, b.rewards.get(0), 1e-6);
        assertEquals(G, b.discounts.get(0), 1e-6);          // time-out: bootstrap
        assertEquals(5.0, b.nextObservations.get(0), 1e-6); // from the true final observation
        ReplayBuffer term = episode(true, 1);
        term.fillRow(b, 0, 4, 1, G);
        assertEquals(0.0, b.discounts.get(0), 1e-12);       // terminal: no bootstrap
        term.fillRow(b, 0, 1, 1, G);
        assertEquals(2.0, b.rewards.get(0), 1e-6);
        assertEquals(G, b.discounts.get(0), 1e-6);
    }

    @Test
    void nStepReturnsStopAtEpisodeEnds() {
        Batch b = new Batch(1, 1, 1, DataType.FLOAT);
        b.extra("base_action", 1);
        ReplayBuffer rb = episode(false, 1);
        rb.fillRow(b, 0, 0, 3, G);
        assertEquals(1 + G * 2 + G * G * 3, b.rewards.get(0), 1e-5);
        assertEquals(G * G * G, b.discounts.get(0), 1e-6);
        assertEquals(3.0, b.nextObservations.get(0), 1e-6);
        assertEquals(0.0, b.extras().get("base_action").get(0), 1e-6);
        rb.fillRow(b, 0, 3, 3, G);                            // truncated after 2 steps: bootstrap with gamma^2
        assertEquals(4 + G * 5, b.rewards.get(0), 1e-5);
        assertEquals(G * G, b.discounts.get(0), 1e-6);
        assertEquals(-3.0, b.extras().get("base_action").get(0), 1e-6);
        ReplayBuffer term = episode(true, 1);
        term.fillRow(b, 0, 3, 3, G);
        assertEquals(0.0, b.discounts.get(0), 1e-12);
        // interleaved streams: the next transition of stream 1 is 2 slots later
        ReplayBuffer two = episode(false, 2);
        two.fillRow(b, 0, 1, 2, G);                           // stream 1, t = 0
        assertEquals(1 + G * 2, b.rewards.get(0), 1e-5);
        assertEquals(102.0, b.nextObservations.get(0), 1e-6);
    }

    @Test
    void nStepRowsCarryExtrasAtTheFirstAndTheBootstrapState() {
        Batch b = new Batch(1, 1, 1, DataType.FLOAT);
        b.extra("base_action", 1);
        b.extra("next_base_action", 1);
        ReplayBuffer rb = episode(false, 1);
        rb.fillRow(b, 0, 0, 3, G);                            // s_0 .. s_3: base action at s_0 and at s_3
        assertEquals(3.0, b.nextObservations.get(0), 1e-6);
        assertEquals(0.0, b.extras().get("base_action").get(0), 1e-6);
        assertEquals(-3.0, b.extras().get("next_base_action").get(0), 1e-6);
        rb.fillRow(b, 0, 3, 3, G);                            // cut by the episode end: s_3 .. s_5
        assertEquals(5.0, b.nextObservations.get(0), 1e-6);
        assertEquals(-3.0, b.extras().get("base_action").get(0), 1e-6);
        assertEquals(-5.0, b.extras().get("next_base_action").get(0), 1e-6);
        ReplayBuffer two = episode(false, 2);                 // interleaved streams follow their own stride
        two.fillRow(b, 0, 1, 2, G);
        assertEquals(102.0, b.nextObservations.get(0), 1e-6);
        assertEquals(-2.0, b.extras().get("next_base_action").get(0), 1e-6);
    }

    @Test
    void nStepUsesOnlyWrittenTransitions() {
        ReplayBuffer rb = new ReplayBuffer(10, 1, 1);
        rb.add(new float[]{0}, new float[]{0}, 1, new float[]{1}, false, false);
        rb.add(new float[]{1}, new float[]{0}, 1, new float[]{2}, false, false);
        Batch b = new Batch(1, 1, 1, DataType.FLOAT);
        rb.fillRow(b, 0, 1, 5, G);                            // newest transition: nothing after it yet
        assertEquals(1.0, b.rewards.get(0), 1e-6);
        assertEquals(G, b.discounts.get(0), 1e-6);
    }

    @Test
    void ringBufferSamplesOnlyStoredTransitionsAndRoundTrips() throws Exception {
        ReplayBuffer rb = new ReplayBuffer(8, 2, 1);
        for (int t = 0; t < 20; t++) {
            rb.add(new float[]{t, -t}, new float[]{t}, t, new float[]{t + 1, 0}, false, false);
        }
        assertEquals(8, rb.size());
        Batch b = new Batch(64, 2, 1, DataType.FLOAT);
        rb.sampler(1, G).sample(b, new Rng(1));
        for (int i = 0; i < 64; i++) {
            double r = b.rewards.get(i);
            assertTrue(r >= 12 && r <= 19, "sampled overwritten transition " + r);
            assertEquals(r, b.observations.get(i, 0), 1e-6);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rb.write(new DataOutputStream(bytes));
        ReplayBuffer copy = new ReplayBuffer(8, 2, 1);
        copy.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        Batch b2 = new Batch(64, 2, 1, DataType.FLOAT);
        copy.sampler(1, G).sample(b2, new Rng(1));
        for (int i = 0; i < 64 * 2; i++) {
            assertEquals(b.observations.get(i), b2.observations.get(i));
        }
        assertThrows(java.io.IOException.class, () -> new ReplayBuffer(9, 2, 1)
                .read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }

    @Test
    void halfCheetahMillionTransitionsFitIn200MB() {
        long bytes = ReplayBuffer.bytesFor(1_000_000, 17, 6, 0);
        assertEquals(165_000_000L, bytes);
        assertTrue(bytes <= 200_000_000L);
    }
}
