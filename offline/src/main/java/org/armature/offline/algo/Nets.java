package org.armature.offline.algo;

import java.util.ArrayList;
import java.util.List;

import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Small helpers shared by the offline algorithms (network construction and initialisation, concatenation, buffers). */
final class Nets {

    private Nets() {
    }

    /** {@code in -> hidden x layers (ReLU) -> out}, PyTorch default initialisation (CORL's networks). */
    static Mlp mlp(int in, int hidden, int layers, int out, Rng rng) {
        int[] h = new int[layers];
        java.util.Arrays.fill(h, hidden);
        return Mlp.build(MlpSpec.relu(in, h, out), DataType.FLOAT, rng);
    }

    /**
     * CORL's {@code init_module_weights(..., orthogonal_init=True)}: every hidden linear layer orthogonal with gain
     * √2, the last one with gain 10⁻², all biases zero.
     */
    static void orthogonalInit(Mlp m, Rng rng) {
        List<org.armature.nn.Linear> linears = new ArrayList<>();
        for (org.armature.nn.Layer l : m.layers()) {
            if (l instanceof org.armature.nn.Linear lin) {
                linears.add(lin);
            }
        }
        for (int i = 0; i < linears.size(); i++) {
            linears.get(i).initOrthogonal(i == linears.size() - 1 ? 1e-2 : Math.sqrt(2), rng);
        }
    }

    /** {@code out = [a | b]} row-wise. */
    static void concat(Mat a, Mat b, Mat out) {
        Kernels.copyColumns(a, out, 0);
        Kernels.copyColumns(b, out, a.cols);
    }

    static Mat zeros(int rows, int cols) {
        return Mat.zeros(DataType.FLOAT, rows, cols);
    }
}
