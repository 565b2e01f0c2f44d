// Mish's float32 forward (value and derivative, heap copies included) per value, on 256 x 256 pre-activations (one
// layer of the 3x256 MLP denoiser at batch 256). BENCHMARKS.md, "Diffusion BC", speed. A plain java program, not a
// jshell script: jshell's execution VM ran this loop 5x slower.
//   OMP_NUM_THREADS=1 java -cp cli/target/armature.jar scripts/bench/MishSpeed.java
import org.armature.nn.Mat;
import org.armature.nn.Mish;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

public class MishSpeed {
    public static void main(String[] args) {
        int n = 256 * 256;
        Mish mish = new Mish(256, DataType.FLOAT);
        Mat x = Mat.zeros(DataType.FLOAT, 256, 256);
        Rng rng = new Rng(1);
        for (int i = 0; i < n; i++) {
            x.set(i, 3 * rng.nextGaussian());
        }
        x.hostWritten();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 200; k++) {
                mish.forward(x, 256);
            }
            long t1 = System.nanoTime();
            System.out.printf("round %d: %.2f ns per value%n", round, (t1 - t0) / 200.0 / n);
        }
    }
}
