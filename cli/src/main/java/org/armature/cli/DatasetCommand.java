package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.agents.data.OfflineDataset;
import org.armature.offline.data.Corruption;
import org.armature.offline.data.D4rlHdf5;
import org.armature.offline.data.DatasetFiles;
import org.armature.offline.data.DatasetInfo;
import org.armature.offline.data.Mixer;
import org.armature.offline.metrics.DatasetMetrics;
import org.armature.offline.metrics.ReferenceScores;
import org.armature.offline.metrics.StateActionCoverage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code armature dataset info|metrics|mix|corrupt|import}: inspect and transform offline datasets. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Inspect and transform offline-RL datasets (D4RL HDF5 layout; Minari datasets are read too).",
        subcommands = {DatasetCommand.Info.class, DatasetCommand.Metrics.class, DatasetCommand.Mix.class,
                DatasetCommand.Corrupt.class, DatasetCommand.Import.class,
                DatasetCommand.Recover.class})
public final class DatasetCommand extends CommandGroup {

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Sizes, episodes, return distribution and its positive-sided variance.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "dataset (.h5 D4RL layout, or a Minari dataset)")
        Path file;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DatasetInfo info = DatasetInfo.of(DatasetFiles.read(file));
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(info));
            } else {
                System.out.print(info.format());
            }
            return 0;
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = {"TQ and SACo (Schweighofer et al.).",
                    "TQ = (mean return - random) / (expert - random), reference returns stored per env "
                            + "(see offline/README.md) or given with --random-return/--expert-return.",
                    "SACo = unique (s, a) bins of FILE / unique bins of the reference run (--reference: the replay "
                            + "buffer of an online training run, e.g. `armature collect --replay RUN_DIR`)."})
    static final class Metrics implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--env", required = true, description = "env id the data came from")
        String env;

        @Option(names = "--reference", paramLabel = "REPLAY.h5",
                description = "reference online run (its replay buffer) for SACo")
        Path reference;

        @Option(names = "--random-return", description = "override the stored random-policy return")
        Double randomReturn;

        @Option(names = "--expert-return", description = "override the stored expert return")
        Double expertReturn;

        @Option(names = "--bins", defaultValue = "" + StateActionCoverage.DEFAULT_BINS,
                description = "bins per dimension for SACo (default: ${DEFAULT-VALUE}, as Schweighofer et al.)")
        int bins;

        @Override
        public Integer call() {
            OfflineDataset d = DatasetFiles.read(file);
            try (var e = org.armature.envs.Envs.make(env)) {
                if (e.spec().observationDim() != d.observationDim() || e.spec().actionDim() != d.actionDim()) {
                    throw new IllegalArgumentException(file + " has observation/action dims " + d.observationDim()
                            + "/" + d.actionDim() + " but " + env + " has " + e.spec().observationDim() + "/"
                            + e.spec().actionDim());
                }
            }
            PolicyResolver.warnIfOtherTask("dataset " + file, "collected in", d.metadata().envId(), env);
            ReferenceScores.Reference ref;
            if (randomReturn != null && expertReturn != null) {
                ref = new ReferenceScores.Reference(env, randomReturn, expertReturn, "command line");
            } else {
                ReferenceScores.Reference stored = ReferenceScores.get(env);
                ref = new ReferenceScores.Reference(env, randomReturn != null ? randomReturn : stored.randomReturn(),
                        expertReturn != null ? expertReturn : stored.expertReturn(), stored.source());
            }
            if (!(ref.expertReturn() > ref.randomReturn())) {
                throw new IllegalArgumentException("expert return " + ref.expertReturn()
                        + " must be above the random return " + ref.randomReturn());
            }
            OfflineDataset refRun = reference == null ? null : DatasetFiles.read(reference);
            if (refRun != null && (refRun.observationDim() != d.observationDim()
                    || refRun.actionDim() != d.actionDim())) {
                throw new IllegalArgumentException("reference " + reference + " has observation/action dims "
                        + refRun.observationDim() + "/" + refRun.actionDim() + ", " + file + " has "
                        + d.observationDim() + "/" + d.actionDim());
            }
            DatasetMetrics m = DatasetMetrics.compute(d, ref, refRun,
                    reference == null ? "none" : reference.toString(), bins);
            System.out.print(m.format());
            System.out.println("reference returns from: " + ref.source());
            return 0;
        }
    }

    @Command(name = "mix", mixinStandardHelpOptions = true,
            description = "Mix datasets by trajectory counts, e.g. `dataset mix expert.h5:0.05 random.h5:0.95 "
                    + "--out mixed.h5`.")
    static final class Mix implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE:FRACTION")
        List<String> parts;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--episodes", defaultValue = "0",
                description = "episodes in the mix (default: as many as the sources allow)")
        int episodes;

        @Option(names = "--seed", defaultValue = "0", description = "which episodes are drawn (default: 0)")
        long seed;

        @Override
        public Integer call() {
            List<Mixer.Part> ps = new ArrayList<>();
            List<Path> inputs = new ArrayList<>();
            for (String p : parts) {
                int colon = p.lastIndexOf(':');
                if (colon <= 0 || colon == p.length() - 1) {
                    throw new IllegalArgumentException("'" + p + "': expected FILE:FRACTION, e.g. expert.h5:0.05");
                }
                double f;
                try {
                    f = Double.parseDouble(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + p + "': fraction '" + p.substring(colon + 1)
                            + "' is not a number");
                }
                Path file = Path.of(p.substring(0, colon));
                inputs.add(file);
                refuseOverwritingInput(out, inputs);
                ps.add(new Mixer.Part(file.toString(), DatasetFiles.read(file), f));
            }
            OfflineDataset m = Mixer.mix(ps, episodes, seed);
            D4rlHdf5.write(m, out);
            System.out.printf("wrote %s: %d episodes, %d transitions (%s)%n", out, m.episodeCount(), m.size(),
                    m.metadata().collectionPolicy());
            return 0;
        }
    }

    @Command(name = "corrupt", mixinStandardHelpOptions = true,
            description = "RIQL's random corruption of a fraction of the transitions.")
    static final class Corrupt implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--kind", required = true, description = "states, actions, rewards or dynamics")
        String kind;

        @Option(names = "--ratio", defaultValue = "0.3",
                description = "fraction of transitions corrupted (default: ${DEFAULT-VALUE}, RIQL's main setting)")
        double ratio;

        @Option(names = "--scale", defaultValue = "1.0",
                description = "corruption scale epsilon (default: ${DEFAULT-VALUE}, RIQL's main setting)")
        double scale;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() {
            Corruption.Kind k = Corruption.parseKind(kind);
            refuseOverwritingInput(out, List.of(file));
            OfflineDataset c = Corruption.corrupt(DatasetFiles.read(file), k, ratio, scale, seed);
            D4rlHdf5.write(c, out);
            System.out.printf("wrote %s: %s corruption of %.0f%% of %d transitions (scale %s, seed %d)%n", out,
                    kind, ratio * 100, c.size(), scale, seed);
            return 0;
        }
    }

    /**
     * A transform writing onto one of its inputs would replace the source dataset: refused. Paths are compared as
     * files ({@link Files#isSameFile}), so another spelling or a symbolic link of an input is caught too.
     */
    static void refuseOverwritingInput(Path out, List<Path> inputs) {
        if (!Files.exists(out)) {
            return;
        }
        for (Path in : inputs) {
            try {
                if (Files.exists(in) && Files.isSameFile(out, in)) {
                    throw new Errors.UserException("--out " + out + " is an input of this command (" + in
                            + "); writing it would replace the source dataset: choose another --out file");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot compare " + out + " with " + in + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Convert a Minari dataset (directory or data/main_data.hdf5) to the D4RL layout.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MINARI_DATASET")
        Path source;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() {
            refuseOverwritingInput(out, List.of(source));
            OfflineDataset d = DatasetFiles.read(source);
            D4rlHdf5.write(d, out);
            System.out.printf("wrote %s: %d episodes, %d transitions%n", out, d.episodeCount(), d.size());
            return 0;
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = "Merge the segments a killed `armature deploy --record FILE` left in FILE.segments/ into FILE.")
    static final class Recover implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "the --record file of the deployment")
        Path file;

        @Override
        public Integer call() throws java.io.IOException {
            OfflineDataset d = org.armature.bridge.DeploymentRecorder.recover(file);
            if (d == null) {
                throw new Errors.UserException("nothing to recover: "
                        + org.armature.bridge.DeploymentRecorder.segmentsDir(file) + " does not exist");
            }
            System.out.printf("recovered %s: %d decisions%n", file, d.size());
            return 0;
        }
    }
}
