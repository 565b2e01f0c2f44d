package org.armature.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A robot or scene described in JSON: bodies, joints, actuators, sensors and randomisation ranges.
 *
 * <p>All positions are world coordinates of the initial configuration (metres, z up); angles in joint ranges are
 * degrees, as in MuJoCo's default. A body's mass is given directly or derived from {@code density} (kg/m^3, default
 * 1000 as in MuJoCo) and the shape's volume; inertia always comes from the shape. See {@code sim/README.md} for the
 * full format. Shipped models live under {@code sim/src/main/resources/models/}.
 */
public record ModelSpec(String name, List<Body> bodies, List<Joint> joints, List<Actuator> actuators,
                        List<Sensor> sensors, Randomization randomization, Boolean selfCollision) {

    /** Whether bodies of this model collide with each other (parent-child pairs never do); default false. */
    public boolean selfCollides() {
        return selfCollision != null && selfCollision;
    }

    public ModelSpec {
        bodies = bodies == null ? List.of() : List.copyOf(bodies);
        joints = joints == null ? List.of() : List.copyOf(joints);
        actuators = actuators == null ? List.of() : List.copyOf(actuators);
        sensors = sensors == null ? List.of() : List.copyOf(sensors);
    }

    /**
     * A geometric primitive. {@code type}: box ({@code halfExtents}), sphere ({@code radius}), capsule and cylinder
     * ({@code radius} plus either {@code fromto} = two end points of the axis segment, or {@code halfLength} with the
     * pose's local z as the axis), compound ({@code children}). {@code position}/{@code rotation} (quaternion
     * x, y, z, w) place the shape in the world; {@code fromto} replaces them for capsules and cylinders.
     * {@code xAxis} optionally fixes the direction of a capsule's local x axis (it must be perpendicular to the
     * capsule's axis); joints with armature need their axis along a principal axis of the child body.
     */
    public record Shape(String type, float[] halfExtents, Float radius, Float halfLength, float[] fromto,
                        float[] position, float[] rotation, float[] xAxis, List<Shape> children,
                        Float density, Float mass) {
    }

    /**
     * A rigid body.
     *
     * @param name        unique name
     * @param shape       collision and inertia shape
     * @param mass        kg; when absent, density times the shape's volume
     * @param density     kg/m^3 (default 1000)
     * @param friction    Coulomb friction coefficient (default 1.0; Bullet multiplies the two bodies' values)
     * @param restitution bounciness (default 0)
     * @param rgba        colour for viewers (default a palette colour)
     * @param linearDamping  Bullet's velocity damping (default 0)
     * @param angularDamping Bullet's velocity damping (default 0)
     */
    public record Body(String name, Shape shape, Float mass, Float density, Float friction, Float restitution,
                       float[] rgba, Float linearDamping, Float angularDamping) {
    }

    /**
     * A joint. {@code type}: hinge (anchor, axis, optional {@code rangeDegrees}), slider (axis, optional
     * {@code rangeMetres}), fixed (welds child to parent, or to the world when parent is absent or "world"),
     * planar (root joint of a 2-D robot: the child and every body connected to it move only in the plane through
     * the child's initial position with normal {@code axis}, default (0, 1, 0) i.e. the x-z plane), free (root joint
     * with 6 degrees of freedom; implicit for roots without a joint). Passive terms: {@code damping} (N m s/rad),
     * {@code stiffness} (N m/rad) towards {@code springRefDegrees}, {@code armature} (kg m^2 rotor inertia added to
     * the child about the joint axis).
     */
    public record Joint(String name, String type, String parent, String child, float[] anchor, float[] axis,
                        float[] rangeDegrees, float[] rangeMetres, Float damping, Float stiffness,
                        Float springRefDegrees, Float armature) {
    }

    /**
     * An actuator on a hinge or slider. {@code type}: torque (force = gear * clip(ctrl, ctrlRange)), position (PD:
     * force = kp (ctrl - q) - kv qdot, clipped to forceRange), velocity (force = kv (ctrl - qdot), clipped).
     */
    public record Actuator(String name, String joint, String type, Float gear, float[] ctrlRange, Float kp,
                           Float kv, float[] forceRange) {
    }

    /**
     * A sensor. {@code type}: jointPosition, jointVelocity (target = joint), bodyPosition (3), bodyOrientation
     * (quaternion x, y, z, w), bodyLinearVelocity (3), bodyAngularVelocity (3), contactForce (3: total contact
     * force on the body, world frame, N) (target = body).
     */
    public record Sensor(String name, String type, String target) {
    }

    /**
     * Domain-randomisation ranges as multiplicative scales [low, high] drawn uniformly per reset: {@code mass}
     * (every body), {@code friction} (every body), {@code actuatorGain} (gear of torque actuators, kp/kv of PD
     * actuators), {@code strength} (force limits). Absent means no randomisation of that quantity.
     */
    public record Randomization(float[] mass, float[] friction, float[] actuatorGain, float[] strength) {
        public static final Randomization NONE = new Randomization(null, null, null, null);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** Loads and validates a spec from a file. */
    public static ModelSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ModelSpecException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Loads a shipped model, e.g. {@code "hopper"} for {@code models/hopper.json} on the classpath. */
    public static ModelSpec loadResource(String modelName) {
        String path = "models/" + modelName + ".json";
        try (InputStream in = ModelSpec.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new ModelSpecException("no shipped model '" + modelName + "' (looked for classpath:" + path + ")");
            }
            return parse(in, "classpath:" + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and validates; {@code source} names the file in error messages. */
    public static ModelSpec parse(InputStream in, String source) {
        ModelSpec spec;
        try {
            spec = MAPPER.readValue(in, ModelSpec.class);
        } catch (JsonMappingException e) {
            throw new ModelSpecException(source + ": field '" + path(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ModelSpecException(source + ": malformed JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelSpecException(source + ": cannot read: " + e.getMessage());
        }
        if (spec == null) {
            throw new ModelSpecException(source + ": empty model file");
        }
        spec.validate(source);
        return spec;
    }

    public static ModelSpec parse(String json, String source) {
        return parse(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), source);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    private static final Set<String> SHAPES = Set.of("box", "sphere", "capsule", "cylinder", "compound");
    private static final Set<String> JOINTS = Set.of("hinge", "slider", "fixed", "planar", "free");
    private static final Set<String> ACTUATORS = Set.of("torque", "position", "velocity");
    private static final Set<String> SENSORS = Set.of("jointPosition", "jointVelocity", "bodyPosition",
            "bodyOrientation", "bodyLinearVelocity", "bodyAngularVelocity", "contactForce");

    /** Checks every field; throws {@link ModelSpecException} naming {@code source} and the field. */
    public void validate(String source) {
        if (name == null || name.isBlank()) {
            fail(source, "name", "is missing");
        }
        if (bodies.isEmpty()) {
            fail(source, "bodies", "must list at least one body");
        }
        Set<String> bodyNames = new HashSet<>();
        for (int i = 0; i < bodies.size(); i++) {
            Body b = bodies.get(i);
            String f = "bodies[" + i + "]";
            if (b.name() == null || b.name().isBlank()) {
                fail(source, f + ".name", "is missing");
            }
            if (!bodyNames.add(b.name())) {
                fail(source, f + ".name", "duplicate body name '" + b.name() + "'");
            }
            if (b.shape() == null) {
                fail(source, f + ".shape", "is missing");
            }
            validateShape(source, f + ".shape", b.shape());
            positive(source, f + ".mass", b.mass(), true);
            positive(source, f + ".density", b.density(), true);
            nonNegative(source, f + ".friction", b.friction());
            nonNegative(source, f + ".restitution", b.restitution());
            nonNegative(source, f + ".linearDamping", b.linearDamping());
            nonNegative(source, f + ".angularDamping", b.angularDamping());
            if (b.rgba() != null && b.rgba().length != 4) {
                fail(source, f + ".rgba", "must have 4 components, got " + b.rgba().length);
            }
        }
        Set<String> jointNames = new HashSet<>();
        Map<String, String> jointTypes = new java.util.HashMap<>();
        Set<String> childBodies = new HashSet<>();
        for (int i = 0; i < joints.size(); i++) {
            Joint j = joints.get(i);
            String f = "joints[" + i + "]";
            if (j.name() == null || j.name().isBlank()) {
                fail(source, f + ".name", "is missing");
            }
            if (!jointNames.add(j.name())) {
                fail(source, f + ".name", "duplicate joint name '" + j.name() + "'");
            }
            if (j.type() == null || !JOINTS.contains(j.type())) {
                fail(source, f + ".type", "must be one of " + JOINTS + ", got '" + j.type() + "'");
            }
            jointTypes.put(j.name(), j.type());
            if (j.child() == null || !bodyNames.contains(j.child())) {
                fail(source, f + ".child", "must name a body, got '" + j.child() + "'");
            }
            if (!childBodies.add(j.child())) {
                fail(source, f + ".child", "body '" + j.child() + "' already has a parent joint");
            }
            boolean root = j.type().equals("planar") || j.type().equals("free");
            if (!root && j.parent() != null && !j.parent().equals("world") && !bodyNames.contains(j.parent())) {
                fail(source, f + ".parent", "must name a body or 'world', got '" + j.parent() + "'");
            }
            if ((j.type().equals("hinge") || j.type().equals("slider"))
                    && (j.parent() == null || j.parent().equals(j.child()))) {
                fail(source, f + ".parent", "a " + j.type() + " needs a parent body different from the child");
            }
            if (j.type().equals("hinge")) {
                vec(source, f + ".anchor", j.anchor(), 3, true);
            }
            if (j.type().equals("hinge") || j.type().equals("slider")) {
                vec(source, f + ".axis", j.axis(), 3, true);
                unit(source, f + ".axis", j.axis());
            } else if (j.axis() != null) {
                vec(source, f + ".axis", j.axis(), 3, true);
                unit(source, f + ".axis", j.axis());
            }
            range(source, f + ".rangeDegrees", j.rangeDegrees());
            range(source, f + ".rangeMetres", j.rangeMetres());
            nonNegative(source, f + ".damping", j.damping());
            nonNegative(source, f + ".stiffness", j.stiffness());
            nonNegative(source, f + ".armature", j.armature());
        }
        Set<String> actuatorNames = new HashSet<>();
        for (int i = 0; i < actuators.size(); i++) {
            Actuator a = actuators.get(i);
            String f = "actuators[" + i + "]";
            if (a.name() == null || !actuatorNames.add(a.name())) {
                fail(source, f + ".name", "is missing or duplicate");
            }
            String jt = jointTypes.get(a.joint());
            if (jt == null || !(jt.equals("hinge") || jt.equals("slider"))) {
                fail(source, f + ".joint", "must name a hinge or slider joint, got '" + a.joint() + "'");
            }
            if (a.type() == null || !ACTUATORS.contains(a.type())) {
                fail(source, f + ".type", "must be one of " + ACTUATORS + ", got '" + a.type() + "'");
            }
            if (a.ctrlRange() == null) {
                fail(source, f + ".ctrlRange", "is missing");
            }
            range(source, f + ".ctrlRange", a.ctrlRange());
            range(source, f + ".forceRange", a.forceRange());
            switch (a.type()) {
                case "torque" -> positive(source, f + ".gear", a.gear(), true);
                case "position" -> positive(source, f + ".kp", a.kp(), false);
                case "velocity" -> positive(source, f + ".kv", a.kv(), false);
                default -> { }
            }
        }
        for (int i = 0; i < sensors.size(); i++) {
            Sensor s = sensors.get(i);
            String f = "sensors[" + i + "]";
            if (s.type() == null || !SENSORS.contains(s.type())) {
                fail(source, f + ".type", "must be one of " + SENSORS + ", got '" + s.type() + "'");
            }
            boolean jointSensor = s.type().startsWith("joint");
            if (jointSensor ? !jointTypes.containsKey(s.target()) : !bodyNames.contains(s.target())) {
                fail(source, f + ".target", "must name a " + (jointSensor ? "joint" : "body") + ", got '"
                        + s.target() + "'");
            }
        }
        if (randomization != null) {
            range(source, "randomization.mass", randomization.mass());
            range(source, "randomization.friction", randomization.friction());
            range(source, "randomization.actuatorGain", randomization.actuatorGain());
            range(source, "randomization.strength", randomization.strength());
        }
    }

    private static void validateShape(String source, String f, Shape s) {
        if (s.type() == null || !SHAPES.contains(s.type())) {
            fail(source, f + ".type", "must be one of " + SHAPES + ", got '" + s.type() + "'");
        }
        switch (s.type()) {
            case "box" -> {
                vec(source, f + ".halfExtents", s.halfExtents(), 3, true);
                for (float h : s.halfExtents()) {
                    if (!(h > 0)) {
                        fail(source, f + ".halfExtents", "must be positive, got " + java.util.Arrays.toString(s.halfExtents()));
                    }
                }
            }
            case "sphere" -> positive(source, f + ".radius", s.radius(), false);
            case "capsule", "cylinder" -> {
                positive(source, f + ".radius", s.radius(), false);
                if (s.fromto() != null) {
                    vec(source, f + ".fromto", s.fromto(), 6, true);
                    float dx = s.fromto()[3] - s.fromto()[0];
                    float dy = s.fromto()[4] - s.fromto()[1];
                    float dz = s.fromto()[5] - s.fromto()[2];
                    if (dx * dx + dy * dy + dz * dz < 1e-12f) {
                        fail(source, f + ".fromto", "the two end points coincide");
                    }
                    if (s.position() != null) {
                        fail(source, f + ".position", "give either fromto or position/halfLength, not both");
                    }
                } else {
                    positive(source, f + ".halfLength", s.halfLength(), false);
                }
                if (s.xAxis() != null) {
                    vec(source, f + ".xAxis", s.xAxis(), 3, true);
                }
            }
            case "compound" -> {
                if (s.children() == null || s.children().isEmpty()) {
                    fail(source, f + ".children", "a compound needs at least one child shape");
                }
                for (int i = 0; i < s.children().size(); i++) {
                    Shape c = s.children().get(i);
                    if ("compound".equals(c.type())) {
                        fail(source, f + ".children[" + i + "].type", "compounds cannot be nested");
                    }
                    validateShape(source, f + ".children[" + i + "]", c);
                }
            }
            default -> { }
        }
        if (s.position() != null) {
            vec(source, f + ".position", s.position(), 3, true);
        }
        if (s.rotation() != null) {
            vec(source, f + ".rotation", s.rotation(), 4, true);
            unit(source, f + ".rotation", s.rotation());
        }
        positive(source, f + ".density", s.density(), true);
        positive(source, f + ".mass", s.mass(), true);
    }

    private static void vec(String source, String field, float[] v, int n, boolean required) {
        if (v == null) {
            if (required) {
                fail(source, field, "is missing (expected " + n + " numbers)");
            }
            return;
        }
        if (v.length != n) {
            fail(source, field, "expected " + n + " numbers, got " + v.length);
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                fail(source, field, "contains a non-finite number");
            }
        }
    }

    private static void unit(String source, String field, float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        if (Math.abs(Math.sqrt(n) - 1) > 1e-3) {
            fail(source, field, "must be a unit vector, has norm " + (float) Math.sqrt(n));
        }
    }

    private static void range(String source, String field, float[] r) {
        if (r == null) {
            return;
        }
        if (r.length != 2 || !(r[0] <= r[1]) || !Float.isFinite(r[0]) || !Float.isFinite(r[1])) {
            fail(source, field, "must be [low, high] with low <= high, got " + java.util.Arrays.toString(r));
        }
    }

    private static void positive(String source, String field, Float v, boolean optional) {
        if (v == null) {
            if (!optional) {
                fail(source, field, "is missing");
            }
            return;
        }
        if (!(v > 0) || !Float.isFinite(v)) {
            fail(source, field, "must be a positive number, got " + v);
        }
    }

    private static void nonNegative(String source, String field, Float v) {
        if (v != null && (!(v >= 0) || !Float.isFinite(v))) {
            fail(source, field, "must be a non-negative number, got " + v);
        }
    }

    private static void fail(String source, String field, String problem) {
        throw new ModelSpecException(source + ": field '" + field + "' " + problem);
    }

    /** An invalid model file; the message names the file and the field. */
    public static final class ModelSpecException extends IllegalArgumentException {
        public ModelSpecException(String message) {
            super(message);
        }
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }
}
