package org.armature.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process simulation link ({@code sim://ENV}): a {@link SimulatedRobot} stepping the env's physics in real
 * time on its own thread, with no network in between. States are handed over through a lock-guarded slot (copied,
 * no allocation); commands go straight to the robot, which applies its own expiry, watchdog and limit checks.
 */
public final class SimLink implements RobotLink {

    private final SimulatedRobot robot;
    private final StateExchange exchange;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong states = new AtomicLong();
    private volatile boolean closed;

    public SimLink(SimulatedRobot robot) {
        this.robot = robot;
        this.exchange = new StateExchange(robot.dof(), 0);
    }

    public SimulatedRobot robot() {
        return robot;
    }

    @Override
    public RobotInfo connect() {
        robot.setListener(s -> {
            exchange.publish(s, System.nanoTime());
            states.incrementAndGet();
        });
        robot.start();
        robot.newSession();
        return new RobotInfo(robot.dof(), 0, 1);
    }

    @Override
    public boolean readLatest(RobotState out) {
        return exchange.read(out);
    }

    @Override
    public void send(JointCommand command) {
        if (!closed && !robot.frozen()) {
            robot.command(command, System.nanoTime());
        }
        sent.incrementAndGet();
    }

    @Override
    public Status status() {
        return closed ? Status.LOST : Status.OK;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("commands_sent", sent.get());
        m.put("states_received", states.get());
        m.put("robot_commands_received", robot.commandsReceived());
        m.put("robot_commands_expired", robot.commandsExpired());
        m.put("robot_unsafe_commands", robot.unsafeCommands());
        m.put("robot_watchdog_stops", robot.watchdogStops());
        return m;
    }

    @Override
    public void close() {
        closed = true;
        robot.close();
    }
}
