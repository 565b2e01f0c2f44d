// LayerNorm's float32 forward and backward (parameter and input gradients) at batch 256 x 256, microseconds per call.
// BENCHMARKS.md, "Residual RL and DSRL", speed. A plain java program (jshell's execution VM runs such loops slower).
//   OMP_NUM_THREADS=1 java -cp cli/target/armature.jar scripts/bench/LayerNormSpeed.java
import org.armature.nn.LayerNorm;
import org.armature.nn.Mat;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

public class LayerNormSpeed {
    public static void main(String[] args) {
        int rows = 256;
        int size = 256;
        LayerNorm ln = new LayerNorm(size, 1e-5, DataType.FLOAT);
        Mat x = Mat.zeros(DataType.FLOAT, rows, size);
        Mat dy = Mat.zeros(DataType.FLOAT, rows, size);
        Rng rng = new Rng(1);
        for (int i = 0; i < rows * size; i++) {
            x.set(i, 3 * rng.nextGaussian() + 1);
            dy.set(i, rng.nextGaussian());
        }
        x.hostWritten();
        dy.hostWritten();
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 500; k++) {
                ln.forward(x, true);
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < 500; k++) {
                ln.backward(dy, true, true);
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: forward %.1f us, backward %.1f us%n", round, (t1 - t0) / 500e3,
                    (t2 - t1) / 500e3);
        }
    }
}
