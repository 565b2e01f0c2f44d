package org.armature.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.Wrapper;

/**
 * {@code armature bench sim --vs-mujoco XML_DIR}: one-thread env steps per second of the locomotion tasks next to
 * MuJoCo's, from one run. Each task is measured here (random actions, as {@code bench sim}) and then MuJoCo's
 * {@code mujoco-testspeed MODEL.xml STEPS 1 CTRL_NOISE} runs right after on the matching Gymnasium v5 XML file;
 * MuJoCo's env steps per second are its physics steps per second divided by Gymnasium's frame skip for the task.
 * The XML files are the user's (Gymnasium's, not shipped here).
 */
final class MujocoComparison {

    static final List<String> DEFAULT_IDS = List.of("HalfCheetah-v1", "HalfCheetah-v2", "Ant-v1", "Ant-v2",
            "Hopper-v1", "Walker2d-v1");

    /** Gymnasium v5's model file(s) (first found wins) and frame skip per task name. */
    private record MujocoTask(List<String> xmlFiles, int frameSkip) {
    }

    private static final Map<String, MujocoTask> TASKS = Map.of(
            "HalfCheetah", new MujocoTask(List.of("half_cheetah.xml"), 5),
            "Hopper", new MujocoTask(List.of("hopper.xml"), 4),
            "Walker2d", new MujocoTask(List.of("walker2d_v5.xml", "walker2d.xml"), 4),
            "Ant", new MujocoTask(List.of("ant.xml"), 5));

    private static final Pattern STEPS_PER_SECOND = Pattern.compile("Steps per second\\s*:\\s*([0-9.eE+]+)");

    private final Path xmlDir;
    private final String testspeed;
    private final int steps;
    private final double ctrlNoise;
    private final double seconds;
    private final double warmup;

    MujocoComparison(Path xmlDir, String testspeed, int steps, double ctrlNoise, double seconds, double warmup) {
        if (steps < 1) {
            throw new Errors.UserException("--mujoco-steps must be positive, got " + steps);
        }
        if (!Files.isDirectory(xmlDir)) {
            throw new Errors.UserException("--vs-mujoco: " + xmlDir + " is not a directory (expected the folder "
                    + "holding Gymnasium's v5 XML files: half_cheetah.xml, hopper.xml, walker2d_v5.xml, ant.xml)");
        }
        this.xmlDir = xmlDir;
        this.testspeed = testspeed;
        this.steps = steps;
        this.ctrlNoise = ctrlNoise;
        this.seconds = seconds;
        this.warmup = warmup;
    }

    /**
     * @param warmUp  steps a task for the warm-up time; run once for every task before the first row, so that the
     *                first row does not pay for compiling the physics code all tasks share
     * @param measure one task's one-thread measurement (its own warm-up included)
     */
    int run(List<String> ids, java.util.function.Consumer<String> warmUp,
            Function<String, BenchSimCommand.Result> measure) {
        List<Path> xmls = new ArrayList<>();
        for (String id : ids) {
            xmls.add(xmlFor(id)); // fail before measuring anything
        }
        checkTestspeed();
        System.out.printf("# armature bench sim --vs-mujoco: %d cores, java %s, one thread, random actions, %.1f s "
                        + "per task (after a warm-up pass over all tasks and %.1f s warm-up each); MuJoCo: %s "
                        + "MODEL.xml %d 1 %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), seconds, warmup,
                testspeed, steps, ctrlNoise);
        for (String id : ids) {
            warmUp.accept(id);
        }
        System.out.println("| task | Armature env steps/s | MuJoCo env steps/s | ratio | Armature per CPU-s "
                + "| MuJoCo per CPU-s | ratio per CPU-s | Armature physics steps per env step "
                + "| MuJoCo physics steps per env step | MuJoCo model |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            BenchSimCommand.Result ours = measure.apply(id);
            double[] mujoco = mujocoStepsPerSecond(xmls.get(i));
            MujocoTask task = TASKS.get(taskName(id));
            double mujocoEnv = mujoco[0] / task.frameSkip();
            double mujocoCpu = mujoco[1] / task.frameSkip();
            System.out.printf("| %s | %,.0f | %,.0f | %.2fx | %,.0f | %s | %s | %s | %d x %.3g s | %s |%n", id,
                    ours.envStepsPerSecond(), mujocoEnv, ours.envStepsPerSecond() / mujocoEnv,
                    ours.envStepsPerCpuSecond(), Double.isNaN(mujocoCpu) ? "-" : String.format("%,.0f", mujocoCpu),
                    Double.isNaN(mujocoCpu) ? "-" : String.format("%.2fx", ours.envStepsPerCpuSecond() / mujocoCpu),
                    physicsOf(id), task.frameSkip(), mujocoTimestep(xmls.get(i)), xmls.get(i).getFileName());
        }
        System.out.println("(env steps/s: wall clock, one thread; MuJoCo's from mujoco-testspeed's physics steps "
                + "per second / Gymnasium's frame skip; per CPU-s: the same steps over the stepping thread's CPU time "
                + "(Armature) or the testspeed process's user + system time, model loading included (MuJoCo), robust "
                + "on a shared machine; both measured back to back per row)");
        return 0;
    }

    /** Fails with one line unless the testspeed program is an executable path or found on PATH. */
    private void checkTestspeed() {
        boolean found;
        if (testspeed.contains("/")) {
            found = Files.isExecutable(Path.of(testspeed));
        } else {
            found = false;
            String path = System.getenv().getOrDefault("PATH", "");
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, testspeed))) {
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            throw new Errors.UserException("--vs-mujoco: '" + testspeed + "' not found or not executable; install "
                    + "Debian's libmujoco-samples (apt-get install libmujoco-samples) or pass --mujoco-testspeed PATH");
        }
    }

    private static String taskName(String id) {
        int dash = id.indexOf("-v");
        return dash < 0 ? id : id.substring(0, dash);
    }

    private Path xmlFor(String id) {
        MujocoTask task = TASKS.get(taskName(id));
        if (task == null) {
            throw new Errors.UserException("--vs-mujoco: no MuJoCo counterpart known for " + id
                    + " (expected one of HalfCheetah, Hopper, Walker2d, Ant)");
        }
        for (String f : task.xmlFiles()) {
            Path p = xmlDir.resolve(f);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new Errors.UserException("--vs-mujoco: " + xmlDir.resolve(task.xmlFiles().get(0))
                + " not found (expected Gymnasium's v5 model file for " + id + ")");
    }

    private static String physicsOf(String id) {
        try (Env env = Envs.make(id)) {
            PhysicsEnv p = Wrapper.find(env, PhysicsEnv.class);
            return p == null ? "-" : String.format("%d x 1/%.0f s", p.frameSkip(),
                    1.0 / p.world().physicsDtSeconds());
        }
    }

    /** The model's {@code <option timestep="...">} (MuJoCo's default 0.002 s when absent). */
    private static double mujocoTimestep(Path xml) {
        try {
            Matcher m = Pattern.compile("<option[^>]*timestep=\"([0-9.eE+-]+)\"")
                    .matcher(Files.readString(xml, StandardCharsets.UTF_8));
            return m.find() ? Double.parseDouble(m.group(1)) : 0.002;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Runs testspeed under bash's {@code time} builtin: {wall-clock physics steps/s as testspeed reports them,
     * physics steps per CPU-second of the process (NaN when bash's timing line is missing)}.
     */
    private double[] mujocoStepsPerSecond(Path xml) {
        List<String> cmd = List.of("bash", "-c", "TIMEFORMAT='armature-cpu %U %S'; time \"$0\" \"$@\"", testspeed,
                xml.toString(), Integer.toString(steps), "1", Double.toString(ctrlNoise));
        String out;
        int code;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            code = p.waitFor();
        } catch (IOException e) {
            throw new Errors.UserException("--vs-mujoco: cannot run '" + testspeed + "' through bash ("
                    + e.getMessage() + "); install Debian's libmujoco-samples or pass --mujoco-testspeed PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Errors.UserException("--vs-mujoco: interrupted while running " + testspeed);
        }
        Matcher m = STEPS_PER_SECOND.matcher(out);
        if (code != 0 || !m.find()) {
            String[] lines = out.strip().split("\n");
            throw new Errors.UserException("--vs-mujoco: " + testspeed + " " + xml + " " + steps + " 1 " + ctrlNoise
                    + " exited with " + code + " without 'Steps per second' (last line: "
                    + lines[lines.length - 1].strip() + ")");
        }
        double wall = Double.parseDouble(m.group(1));
        Matcher cpu = CPU_TIME.matcher(out);
        double perCpu = Double.NaN;
        if (cpu.find()) {
            double seconds = Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2));
            perCpu = seconds > 0 ? steps / seconds : Double.NaN;
        }
        return new double[]{wall, perCpu};
    }

    private static final Pattern CPU_TIME = Pattern.compile("armature-cpu ([0-9.]+) ([0-9.]+)");
}
