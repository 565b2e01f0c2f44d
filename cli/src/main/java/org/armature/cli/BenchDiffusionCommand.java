package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.armature.agents.diffusion.DenoiserBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature bench diffusion}: diffusion-policy training steps and DDIM chunks (BENCHMARKS.md, diffusion speed),
 * optionally followed by the PyTorch peer at the same sizes in the same invocation.
 */
@Command(name = "diffusion", mixinStandardHelpOptions = true,
        description = {"Time diffusion-policy training steps (batch 256) or DDIM chunks (batch 1) at Push-T low-dim sizes "
                + "(obs 20 x 2, act 2, horizon 16); prints one JSON line per run.",
                "  armature bench diffusion --mode train --denoiser mlp --hidden 512 --blocks 3 --vs-torch PEER.py",
                "  armature bench diffusion --mode infer --denoiser unet --down-dims 32,64,128"})
public final class BenchDiffusionCommand implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "train", description = "train or infer (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--denoiser", defaultValue = "mlp", description = "mlp or unet (default: ${DEFAULT-VALUE})")
    String denoiser;

    @Option(names = "--down-dims", defaultValue = "64,128,256", description = "U-Net widths (default: ${DEFAULT-VALUE})")
    String downDims;

    @Option(names = "--hidden", defaultValue = "512", description = "MLP width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--blocks", defaultValue = "3", description = "MLP residual blocks (default: ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--batch", defaultValue = "256", description = "training batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--iters", description = "timed iterations (default: 30 train, 200 infer)")
    Integer iters;

    @Option(names = "--warmup", description = "untimed iterations first (default: 5 train, 300 infer)")
    Integer warmup;

    @Option(names = "--ddim-steps", defaultValue = "10", description = "denoiser evaluations per chunk (default: "
            + "${DEFAULT-VALUE})")
    int ddimSteps;

    @Option(names = "--vs-torch", paramLabel = "PEER.py", description = "then run this PyTorch peer "
            + "(../shared/peers/torch_diffusion_update.py) at the same sizes with /usr/bin/python3, one thread")
    Path peer;

    @Override
    public Integer call() throws Exception {
        if (!denoiser.equals("mlp") && !denoiser.equals("unet")) {
            throw new IllegalArgumentException("--denoiser must be mlp or unet, got '" + denoiser + "'");
        }
        DenoiserBenchmark.Settings d = DenoiserBenchmark.Settings.defaults(mode, denoiser);
        DenoiserBenchmark.Settings s = new DenoiserBenchmark.Settings(mode, denoiser, downDims, hidden, blocks, batch,
                iters != null ? iters : d.iters(), warmup != null ? warmup : d.warmup(), ddimSteps);
        System.out.println(DenoiserBenchmark.run(s));
        if (peer == null) {
            return 0;
        }
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException("--vs-torch: " + peer + " does not exist");
        }
        int rc = TorchPeer.command(peer, List.of(mode.equals("train") ? "bench-update" : "bench-infer", "--net",
                denoiser, "--down-dims", downDims, "--hidden", Integer.toString(hidden), "--blocks",
                Integer.toString(blocks), "--batch", Integer.toString(batch), "--ddim-steps",
                Integer.toString(ddimSteps), "--iters", Integer.toString(s.iters()), "--warmup",
                Integer.toString(s.warmup()), "--threads", "1")).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the PyTorch peer exited with " + rc + " (needs Debian's python3-torch)");
        }
        return 0;
    }
}
