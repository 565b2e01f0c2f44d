package org.armature.envs.experts;

import java.util.ArrayList;
import java.util.List;

import org.armature.envs.tasks.manipulation.PushTEnv;
import org.armature.envs.tasks.manipulation.TCoverage;

/**
 * Scripted expert for {@code PushT-v1}: plans single pushes with a quasi-static pushing model and executes them
 * with a round pusher, from the observation alone.
 *
 * <ol>
 *   <li><b>plan</b>: candidate contacts every 1 cm along the T's outline (excluding the inner corners the pusher
 *       cannot reach). Pushing along the inward normal {@code d} at {@code r} (from the centre of mass) moves the
 *       block, for an ellipsoidal limit surface (Goyal et al. 1991; Lynch et al. 1992), along the generalised
 *       direction {@code (d, (r x d) / rho)} with {@code rho} the radius of gyration. The candidate best aligned with
 *       the pose error {@code (dx, dy, rho dtheta)} wins; candidates within {@value #TIE_MARGIN} of the best are
 *       equally good and one is drawn at random, so demonstrations are multimodal (e.g. which arm of the T is
 *       pushed to turn it, from which side the block is approached).</li>
 *   <li><b>approach</b>: go to a stand-off point outside the contact; when the straight way is blocked by the T,
 *       go round it on a safe circle, clockwise or counter-clockwise (a random choice when both are similar).</li>
 *   <li><b>push</b>: advance through the contact at a speed that shrinks with the remaining error; stop and
 *       re-plan once another contact would be clearly better or the push has lasted long enough.</li>
 *   <li><b>hold</b>: once its own estimate of the coverage passes 0.97, back away and stay clear.</li>
 * </ol>
 */
public final class PushTExpert extends AbstractExpert {

    static final double TIE_MARGIN = 0.03;
    static final double TRAVEL_COST_PER_M = 0.15;
    /** Above this coverage the expert picks pushes by their predicted coverage gain (tuned with the leads). */
    static final double FINE_COVERAGE = 0.88;
    static final double FINE_STEP_M = 0.004;
    static final double FINE_GAIN_WEIGHT = 0.1;
    static final double STANDOFF_M = 0.015;
    static final double SPACING_M = 0.01;
    static final int MAX_PUSH_STEPS = 30;
    static final double HOLD_COVERAGE = 0.975;
    // How far ahead of itself the pusher is commanded while pushing: the PD force m k_p lead must beat the block's
    // sliding friction (0.3 kg x 9.81 x 0.5 = 1.5 N, i.e. lead > 1.5 cm). 3 cm near the goal, up to 8 cm far from
    // it, and at most 30 steps per push: tuned on PushT-v1 seeds 0-99 (61 % -> 79 % noise-free, see BENCHMARKS.md).
    static final double LEAD_MIN_M = 0.03;
    static final double LEAD_MAX_M = 0.08;

    private enum Phase { PLAN, APPROACH, PUSH, RETREAT, HOLD }

    private record Contact(double cx, double cy, double nx, double ny) {
    }

    private static final List<Contact> CANDIDATES = candidates();
    /** Centre of mass (x = 0 on the symmetry axis, y) and radius of gyration of the uniform T. */
    private static final double[] COM = {0, massProperties()[0]};
    private static final double RHO = massProperties()[1];

    private final TCoverage coverage = new TCoverage();
    private final double[] goalBar = new double[8];
    private final double[] goalStem = new double[8];
    private final double[] bar = new double[8];
    private final double[] stem = new double[8];
    private final double goalArea;

    private Phase phase;
    private int approachSteps;
    private double pushBestCoverage;
    private double currentCoverage;
    private final java.util.Set<Contact> blocked = new java.util.HashSet<>();
    static final int MAX_APPROACH_STEPS = 40;
    private Contact contact;
    private int pushSteps;
    private int circleDirection;
    private final double[] retreatTarget = new double[2];

    public PushTExpert(double noiseStd, long seed) {
        super(noiseStd, seed);
        double[] g = PushTEnv.GOAL_POSE;
        PushTEnv.tPolygons(g[0], g[1], g[2], goalBar, goalStem);
        goalArea = coverage.overlap(goalBar, goalStem, goalBar, goalStem);
        resetEpisode();
    }

    @Override
    protected void resetEpisode() {
        phase = Phase.PLAN;
        contact = null;
        pushSteps = 0;
        approachSteps = 0;
        blocked.clear();
        circleDirection = rng.nextBoolean() ? 1 : -1;
    }

    @Override
    public float[] act(float[] o) {
        double px = o[0];
        double py = o[1];
        double bx = o[2];
        double by = o[3];
        double bt = o[4];
        double cos = Math.cos(bt);
        double sin = Math.sin(bt);
        double[] g = PushTEnv.GOAL_POSE;
        PushTEnv.tPolygons(bx, by, bt, bar, stem);
        double cov = coverage.overlap(bar, stem, goalBar, goalStem) / goalArea;
        currentCoverage = cov;
        // pose error of the centre of mass (world) and angle
        double comX = bx + cos * COM[0] - sin * COM[1];
        double comY = by + sin * COM[0] + cos * COM[1];
        double gcos = Math.cos(g[2]);
        double gsin = Math.sin(g[2]);
        double gComX = g[0] + gcos * COM[0] - gsin * COM[1];
        double gComY = g[1] + gsin * COM[0] + gcos * COM[1];
        double ex = gComX - comX;
        double ey = gComY - comY;
        double et = wrap(g[2] - bt);
        double errNorm = Math.sqrt(ex * ex + ey * ey + RHO * RHO * et * et);

        double tx = px;
        double ty = py;
        if (cov >= HOLD_COVERAGE && phase != Phase.HOLD) {
            phase = Phase.HOLD;
        } else if (phase == Phase.HOLD && cov < SUCCESS_RESUME) {
            phase = Phase.PLAN;
        }
        if (phase == Phase.HOLD) {
            // back away from the block along the line from its centre
            double dx = px - comX;
            double dy = py - comY;
            double d = Math.max(1e-6, Math.hypot(dx, dy));
            double clear = PushTEnv.distanceToT(px, py, bx, by, bt);
            if (clear < PushTEnv.PUSHER_RADIUS + 0.03) {
                tx = px + 0.03 * dx / d;
                ty = py + 0.03 * dy / d;
            }
            return clip(tx, ty);
        }
        if (phase == Phase.PLAN) {
            contact = choose(ex, ey, et, cos, sin, px, py, bx, by);
            phase = Phase.APPROACH;
            pushSteps = 0;
            approachSteps = 0;
        }
        // contact point and inward direction in the world
        double cwx = bx + cos * contact.cx - sin * contact.cy;
        double cwy = by + sin * contact.cx + cos * contact.cy;
        double nwx = cos * contact.nx - sin * contact.ny;
        double nwy = sin * contact.nx + cos * contact.ny;
        double standX = cwx + nwx * (PushTEnv.PUSHER_RADIUS + STANDOFF_M);
        double standY = cwy + nwy * (PushTEnv.PUSHER_RADIUS + STANDOFF_M);
        switch (phase) {
            case APPROACH -> {
                double dist = Math.hypot(standX - px, standY - py);
                if (dist < 0.006) {
                    phase = Phase.PUSH;
                    pushSteps = 0;
                    pushBestCoverage = cov;
                    tx = standX;
                    ty = standY;
                } else if (segmentClear(px, py, standX, standY, bx, by, bt)) {
                    double step = Math.min(dist, 0.12);
                    tx = px + (standX - px) * step / dist;
                    ty = py + (standY - py) * step / dist;
                } else {
                    unreachable = false;
                    double[] w = aroundBlock(px, py, comX, comY, standX, standY, bx, by, bt);
                    tx = w[0];
                    ty = w[1];
                    if (unreachable || ++approachSteps > MAX_APPROACH_STEPS) {
                        // no way round inside the walls: pick another contact next time
                        blocked.add(contact);
                        phase = Phase.PLAN;
                    }
                }
            }
            case PUSH -> {
                pushSteps++;
                // lead the pusher ahead of itself along the push line through the contact: the PD force
                // m k_p lead must beat the block's friction (about 1.5 N); the lead shrinks with the error
                double lead = Math.max(LEAD_MIN_M, Math.min(LEAD_MAX_M, 0.8 * errNorm));
                double lineX = cwx + nwx * PushTEnv.PUSHER_RADIUS;
                double lineY = cwy + nwy * PushTEnv.PUSHER_RADIUS;
                double along = (px - lineX) * -nwx + (py - lineY) * -nwy;
                tx = lineX - nwx * (along + lead);
                ty = lineY - nwy * (along + lead);
                lastCos = cos;
                lastSin = sin;
                double scoreNow = alignment(contact, ex, ey, et, cos, sin);
                Contact best = bestContact(ex, ey, et);
                double scoreBest = alignment(best, ex, ey, et, cos, sin);
                pushBestCoverage = Math.max(pushBestCoverage, cov);
                boolean overshoot = cov > 0.6 && cov < pushBestCoverage - 0.003
                        || cov > FINE_COVERAGE && coverageGain(contact, bx, by, cos, sin) <= 0;
                if (pushSteps > MAX_PUSH_STEPS || scoreNow < 0.3 || scoreBest > scoreNow + 0.4 || overshoot
                        || PushTEnv.distanceToT(px, py, bx, by, bt) > PushTEnv.PUSHER_RADIUS + 0.02) {
                    phase = Phase.RETREAT;
                    blocked.clear();
                    retreatTarget[0] = standX;
                    retreatTarget[1] = standY;
                    tx = standX;
                    ty = standY;
                }
            }
            case RETREAT -> {
                tx = retreatTarget[0];
                ty = retreatTarget[1];
                if (PushTEnv.distanceToT(px, py, bx, by, bt) > PushTEnv.PUSHER_RADIUS + 0.008
                        || Math.hypot(tx - px, ty - py) < 0.004 || ++pushSteps > MAX_PUSH_STEPS + 5) {
                    phase = Phase.PLAN;
                }
            }
            default -> {
            }
        }
        return clip(tx, ty);
    }

    private static final double SUCCESS_RESUME = 0.955;

    private float[] clip(double tx, double ty) {
        double lim = PushTEnv.WORKSPACE_HALF - PushTEnv.PUSHER_RADIUS - 0.02;
        return noisyClipped(new double[]{Math.max(-lim, Math.min(lim, tx)), Math.max(-lim, Math.min(lim, ty))},
                -PushTEnv.WORKSPACE_HALF, PushTEnv.WORKSPACE_HALF);
    }

    private double lastCos;
    private double lastSin;

    private Contact bestContact(double ex, double ey, double et) {
        Contact best = null;
        double bestScore = -2;
        for (Contact c : CANDIDATES) {
            double s = alignment(c, ex, ey, et, lastCos, lastSin);
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    private Contact choose(double ex, double ey, double et, double cos, double sin, double px, double py,
                           double bx, double by) {
        lastCos = cos;
        lastSin = sin;
        double bestScore = -2;
        double[] scores = new double[CANDIDATES.size()];
        for (int i = 0; i < scores.length; i++) {
            Contact c = CANDIDATES.get(i);
            // alignment with the wanted motion, minus a small cost for the way to the stand-off point
            double sx = bx + cos * (c.cx + c.nx * (PushTEnv.PUSHER_RADIUS + STANDOFF_M))
                    - sin * (c.cy + c.ny * (PushTEnv.PUSHER_RADIUS + STANDOFF_M));
            double sy = by + sin * (c.cx + c.nx * (PushTEnv.PUSHER_RADIUS + STANDOFF_M))
                    + cos * (c.cy + c.ny * (PushTEnv.PUSHER_RADIUS + STANDOFF_M));
            double lim = PushTEnv.WORKSPACE_HALF - PushTEnv.PUSHER_RADIUS - 0.01;
            boolean reachable = Math.abs(sx) < lim && Math.abs(sy) < lim && !blocked.contains(c);
            double gain = currentCoverage > FINE_COVERAGE ? coverageGain(c, bx, by, cos, sin) : 0;
            scores[i] = (currentCoverage > FINE_COVERAGE ? FINE_GAIN_WEIGHT * gain
                    : alignment(c, ex, ey, et, cos, sin)) - TRAVEL_COST_PER_M * Math.hypot(sx - px, sy - py)
                    - (reachable ? 0 : 10);
            bestScore = Math.max(bestScore, scores[i]);
        }
        List<Contact> ties = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= bestScore - TIE_MARGIN) {
                ties.add(CANDIDATES.get(i));
            }
        }
        return ties.get(rng.nextInt(ties.size()));
    }

    /**
     * Near the goal: coverage gained by a small push at {@code c}, predicted with the same quasi-static model (a
     * 4 mm push moves the block by {@code 4 mm d} and turns it by {@code 4 mm (r x d) / rho^2}).
     */
    private double coverageGain(Contact c, double bx, double by, double cos, double sin) {
        double dx = -(cos * c.nx - sin * c.ny);
        double dy = -(sin * c.nx + cos * c.ny);
        double rx = cos * (c.cx - COM[0]) - sin * (c.cy - COM[1]);
        double ry = sin * (c.cx - COM[0]) + cos * (c.cy - COM[1]);
        double torque = rx * dy - ry * dx;
        // normalise the generalised direction so that the push moves the contact by FINE_STEP_M
        double norm = Math.sqrt(1 + torque * torque / (RHO * RHO));
        double step = FINE_STEP_M / norm;
        double dTheta = step * torque / (RHO * RHO);
        double comX = bx + cos * COM[0] - sin * COM[1];
        double comY = by + sin * COM[0] + cos * COM[1];
        double nComX = comX + step * dx;
        double nComY = comY + step * dy;
        double nt = Math.atan2(sin, cos) + dTheta;
        double nc = Math.cos(nt);
        double ns = Math.sin(nt);
        double nbx = nComX - (nc * COM[0] - ns * COM[1]);
        double nby = nComY - (ns * COM[0] + nc * COM[1]);
        PushTEnv.tPolygons(nbx, nby, nt, bar, stem);
        double after = coverage.overlap(bar, stem, goalBar, goalStem) / goalArea;
        return (after - currentCoverage) / FINE_STEP_M;
    }

    /** cos of the angle between the predicted generalised motion of pushing at c and the desired one. */
    static double alignment(Contact c, double ex, double ey, double et, double cos, double sin) {
        // push direction (inward) in the world and lever arm from the centre of mass
        double dx = -(cos * c.nx - sin * c.ny);
        double dy = -(sin * c.nx + cos * c.ny);
        double rx = cos * (c.cx - COM[0]) - sin * (c.cy - COM[1]);
        double ry = sin * (c.cx - COM[0]) + cos * (c.cy - COM[1]);
        double torque = rx * dy - ry * dx;
        double ux = dx;
        double uy = dy;
        double uw = torque / RHO;
        double wx = ex;
        double wy = ey;
        double ww = RHO * et;
        double nu = Math.sqrt(ux * ux + uy * uy + uw * uw);
        double nw = Math.sqrt(wx * wx + wy * wy + ww * ww);
        if (nw < 1e-9) {
            return 0;
        }
        return (ux * wx + uy * wy + uw * ww) / (nu * nw);
    }

    private boolean segmentClear(double ax, double ay, double bx2, double by2, double bx, double by, double bt) {
        double clearance = PushTEnv.PUSHER_RADIUS + 0.012;
        double len = Math.hypot(bx2 - ax, by2 - ay);
        int n = Math.max(2, (int) Math.ceil(len / 0.005));
        for (int k = 1; k < n; k++) {
            double t = (double) k / n;
            double x = ax + (bx2 - ax) * t;
            double y = ay + (by2 - ay) * t;
            // near the stand-off point itself the pusher is meant to be close to the block
            if (PushTEnv.distanceToT(x, y, bx, by, bt) < clearance && (1 - t) * len > 0.02) {
                return false;
            }
        }
        return true;
    }

    /** Next waypoint going round the block on a circle about its centre of mass. */
    private double[] aroundBlock(double px, double py, double comX, double comY, double gx, double gy, double bx,
                                 double by, double bt) {
        double radius = MAX_EXTENT + PushTEnv.PUSHER_RADIUS + 0.03;
        double dx = px - comX;
        double dy = py - comY;
        double d = Math.hypot(dx, dy);
        double a = Math.atan2(dy, dx);
        if (d < radius - 0.01) {
            // first get out to the circle
            double out = Math.min(0.05, radius - d);
            return new double[]{px + out * dx / Math.max(d, 1e-6), py + out * dy / Math.max(d, 1e-6)};
        }
        double goalAngle = Math.atan2(gy - comY, gx - comX);
        double diff = wrap(goalAngle - a);
        int dir;
        if (Math.abs(Math.abs(diff) - Math.PI) < 0.6) {
            dir = circleDirection; // both ways are about as long: the episode's random preference
        } else {
            dir = diff > 0 ? 1 : -1;
        }
        // the way round must stay inside the walls; otherwise go the other way
        if (!arcInside(comX, comY, radius, a, dir, dir > 0 ? positive(diff) : positive(-diff))) {
            dir = -dir;
            if (!arcInside(comX, comY, radius, a, dir, dir > 0 ? positive(diff) : positive(-diff))) {
                unreachable = true;
            }
        }
        double remaining = dir > 0 ? positive(diff) : positive(-diff);
        double na = a + dir * Math.min(remaining, 0.5);
        return new double[]{comX + radius * Math.cos(na), comY + radius * Math.sin(na)};
    }

    private boolean unreachable;

    private static double positive(double a) {
        return a < 0 ? a + 2 * Math.PI : a;
    }

    private static boolean arcInside(double cx, double cy, double radius, double from, int dir, double sweep) {
        double lim = PushTEnv.WORKSPACE_HALF - PushTEnv.PUSHER_RADIUS - 0.01;
        for (double s = 0; s <= sweep; s += 0.1) {
            double ang = from + dir * s;
            double x = cx + radius * Math.cos(ang);
            double y = cy + radius * Math.sin(ang);
            if (Math.abs(x) > lim || Math.abs(y) > lim) {
                return false;
            }
        }
        return true;
    }

    static double wrap(double a) {
        return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
    }

    private static final double MAX_EXTENT = maxExtent();

    private static double maxExtent() {
        double m = 0;
        for (int k = 0; k < 8; k++) {
            m = Math.max(m, Math.hypot(PushTEnv.OUTLINE[2 * k] - COM[0], PushTEnv.OUTLINE[2 * k + 1] - COM[1]));
        }
        return m;
    }

    /** {centre of mass y, radius of gyration} of the T: bar and stem rectangles of uniform density. */
    private static double[] massProperties() {
        double w = 2 * PushTEnv.BAR_HALF_WIDTH;
        double h = PushTEnv.BAR_HEIGHT;
        double sw = 2 * PushTEnv.STEM_HALF_WIDTH;
        double sh = PushTEnv.STEM_END - PushTEnv.BAR_HEIGHT;
        double a1 = w * h;
        double a2 = sw * sh;
        double cy = (a1 * h / 2 + a2 * (h + sh / 2)) / (a1 + a2);
        double i1 = a1 * (w * w + h * h) / 12 + a1 * Math.pow(h / 2 - cy, 2);
        double i2 = a2 * (sw * sw + sh * sh) / 12 + a2 * Math.pow(h + sh / 2 - cy, 2);
        return new double[]{cy, Math.sqrt((i1 + i2) / (a1 + a2))};
    }

    /** Contact candidates along the outline with outward normals, skipping points the pusher cannot reach. */
    private static List<Contact> candidates() {
        double[] v = PushTEnv.OUTLINE;
        List<Contact> out = new ArrayList<>();
        double r = PushTEnv.PUSHER_RADIUS;
        for (int k = 0; k < 8; k++) {
            double x0 = v[2 * k];
            double y0 = v[2 * k + 1];
            double x1 = v[(2 * k + 2) % 16];
            double y1 = v[(2 * k + 3) % 16];
            double len = Math.hypot(x1 - x0, y1 - y0);
            double tx = (x1 - x0) / len;
            double ty = (y1 - y0) / len;
            // outline is counter-clockwise: the outward normal is the edge direction turned clockwise
            double nx = ty;
            double ny = -tx;
            int n = (int) Math.floor(len / SPACING_M);
            for (int i = 1; i < n; i++) {
                double s = i * len / n;
                double cx = x0 + tx * s;
                double cy = y0 + ty * s;
                // the pusher centre sits at c + n r: it must clear the block everywhere
                double pcx = cx + nx * (r + 0.002);
                double pcy = cy + ny * (r + 0.002);
                if (PushTEnv.distanceToT(pcx, pcy, 0, 0, 0) < r) {
                    continue;
                }
                out.add(new Contact(cx, cy, nx, ny));
            }
        }
        return List.copyOf(out);
    }
}
