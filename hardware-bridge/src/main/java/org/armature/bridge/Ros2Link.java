package org.armature.bridge;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.eprosima.xmlschemas.fastrtps_profiles.DurabilityQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.HistoryQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.PublishModeQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.ReliabilityQosKindPolicyType;
import sensor_msgs.msg.dds.JointState;
import sensor_msgs.msg.dds.JointStatePubSubType;
import std_msgs.msg.dds.Float64MultiArray;
import std_msgs.msg.dds.Float64MultiArrayPubSubType;
import std_msgs.msg.dds.MultiArrayDimension;
import trajectory_msgs.msg.dds.JointTrajectory;
import trajectory_msgs.msg.dds.JointTrajectoryPoint;
import trajectory_msgs.msg.dds.JointTrajectoryPubSubType;
import us.ihmc.idl.IDLSequence;
import us.ihmc.pubsub.Domain;
import us.ihmc.pubsub.DomainFactory;
import us.ihmc.pubsub.TopicDataType;
import us.ihmc.pubsub.attributes.ParticipantProfile;
import us.ihmc.pubsub.attributes.PublisherAttributes;
import us.ihmc.pubsub.attributes.SubscriberAttributes;
import us.ihmc.pubsub.common.MatchingInfo;
import us.ihmc.pubsub.common.SampleInfo;
import us.ihmc.pubsub.participant.Participant;
import us.ihmc.pubsub.publisher.Publisher;
import us.ihmc.pubsub.publisher.PublisherListener;
import us.ihmc.pubsub.subscriber.Subscriber;
import us.ihmc.pubsub.subscriber.SubscriberListener;

/**
 * A ROS 2 robot over DDS ({@code ros2://DOMAIN?state=...&command=...&joints=...}, {@link Ros2Config}), on IHMC's
 * ROS 2 library: its pub-sub layer (eProsima Fast-DDS through JNI) and its generated ROS 2 message classes, whose
 * DDS type names are ROS 2's ({@code sensor_msgs::msg::dds_::JointState_}); topics are named as ROS 2 names them
 * ({@code rt/joint_states}). No rcl: the link is a plain DDS participant, which ROS 2 nodes see as a peer.
 *
 * <p><b>QoS.</b> State is read BEST_EFFORT, VOLATILE, KEEP_LAST 1 (matches a BEST_EFFORT or RELIABLE publisher;
 * most drivers publish joint states BEST_EFFORT, which a RELIABLE reader never matches); {@code state_qos=reliable}
 * asks for RELIABLE. Commands are written RELIABLE, VOLATILE, KEEP_LAST 1 (the newest command replaces an unsent
 * older one). The library reports matches, not incompatible QoS, so a reader or writer that never matches is
 * reported by {@link #connect} with the type and QoS this side asked for.
 *
 * <p><b>Failures.</b> Once connected, the state publisher leaving (DDS unmatches it: the peer deleted its writer,
 * or its participant's lease expired) or the last command subscriber leaving is {@link Status#LOST}; a second state
 * publisher is {@link Status#FAULT}. Each state is stamped with the local monotonic clock at receive, so a robot
 * that goes silent (killed, hung: DDS notices a dead peer only after its lease, seconds) trips the safety layer's
 * stale-state stop.
 *
 * <p><b>Threads.</b> States arrive on the library's listener thread and are parsed (joints picked by name) into a
 * scratch state handed over through {@link StateExchange}. {@link #send} copies the command into a slot and wakes
 * the publisher thread (no allocation, no DDS call on the loop thread; the newest command wins).
 */
public final class Ros2Link extends RosLink<Ros2Config> {

    /** Joints a message may carry: the library's generated sequences hold at most 100 elements. */
    static final int MAX_JOINTS_PER_MESSAGE = 100;

    private final String[] jointNames;

    private Domain domain;
    private Participant participant;
    private Subscriber<JointState> stateSubscriber;
    private Publisher commandPublisher;

    private final AtomicInteger statePublishers = new AtomicInteger();
    private final AtomicInteger commandSubscribers = new AtomicInteger();
    private volatile boolean statePublisherEverMatched;
    private volatile boolean commandSubscriberEverMatched;

    // state receive (library listener thread)
    private final JointState stateMsg = new JointState();
    private final SampleInfo sampleInfo = new SampleInfo();
    private final RobotState scratch;
    private final int[] nameIndex;

    // command publication (publisher thread): one preallocated message of the command's type
    private final boolean trajectory;
    private final JointTrajectory traj = new JointTrajectory();
    private final JointTrajectoryPoint point;
    private final Float64MultiArray array = new Float64MultiArray();

    public Ros2Link(Ros2Config cfg, int dof, long connectTimeoutMillis) {
        super(cfg, dof, connectTimeoutMillis);
        this.jointNames = cfg.jointNames().clone();
        this.scratch = new RobotState(dof, 0);
        this.nameIndex = new int[dof];
        this.trajectory = cfg.commandType().equals(RosMessages.JOINT_TRAJECTORY);
        if (trajectory) {
            for (String name : cfg.commandJoints()) {
                traj.getJointNames().add(name);
            }
            this.point = traj.getPoints().add();
        } else {
            this.point = null;
            MultiArrayDimension dim = array.getLayout().getDim().add();
            dim.setLabel("joints");
            dim.setSize(dof);
            dim.setStride(dof);
        }
    }

    private String stateQos() {
        return (cfg.stateReliable() ? "RELIABLE" : "BEST_EFFORT") + ", VOLATILE, KEEP_LAST 1";
    }

    // ---------------------------------------------------------------------------------------------------- connect

    @Override
    public RobotInfo connect() throws IOException {
        try {
            domain = DomainFactory.getDomain(DomainFactory.PubSubImplementation.FAST_RTPS);
            participant = domain.createParticipant(ParticipantProfile.create().domainId(cfg.domainId())
                    .name(cfg.nodeName()));
            TopicDataType<JointState> stateType = new JointStatePubSubType();
            TopicDataType<?> commandType = cfg.commandType().equals(RosMessages.JOINT_TRAJECTORY)
                    ? new JointTrajectoryPubSubType() : new Float64MultiArrayPubSubType();
            domain.registerType(participant, stateType);
            domain.registerType(participant, commandType);

            PublisherAttributes pa = PublisherAttributes.create().topicDataType(commandType)
                    .topicName(cfg.commandDdsTopic()).reliabilityKind(ReliabilityQosKindPolicyType.RELIABLE)
                    .durabilityKind(DurabilityQosKindPolicyType.VOLATILE)
                    .historyQosPolicyKind(HistoryQosKindPolicyType.KEEP_LAST).historyDepth(1)
                    .publishModeKind(PublishModeQosKindPolicyType.SYNCHRONOUS);
            commandPublisher = domain.createPublisher(participant, pa, new CommandMatches());
            startCommandPublisher("armature-ros2-command-publisher");

            SubscriberAttributes sa = SubscriberAttributes.create().topicDataType(stateType)
                    .topicName(cfg.stateDdsTopic())
                    .reliabilityKind(cfg.stateReliable() ? ReliabilityQosKindPolicyType.RELIABLE
                            : ReliabilityQosKindPolicyType.BEST_EFFORT)
                    .durabilityKind(DurabilityQosKindPolicyType.VOLATILE)
                    .historyQosPolicyKind(HistoryQosKindPolicyType.KEEP_LAST).historyDepth(1);
            @SuppressWarnings("unchecked")
            Subscriber<JointState> s = (Subscriber<JointState>) domain.createSubscriber(participant, sa,
                    new StateListener());
            stateSubscriber = s;
            return awaitReady();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    int commandSubscribers() {
        return commandSubscribers.get();
    }

    /** Why connect gave up: what did not match, with the type and QoS this side asked for. */
    @Override
    String notReady() {
        StringBuilder why = new StringBuilder("ROS 2 robot not ready within " + connectTimeoutMillis + " ms (DDS "
                + "domain " + cfg.domainId() + "):");
        String stateType = Ros2Config.ddsType(RosMessages.JOINT_STATE);
        if (statesReceived.get() == 0) {
            why.append(" no ").append(stateType).append(" on ").append(cfg.stateDdsTopic());
            if (statePublishers.get() == 0) {
                why.append(" (no publisher matched this reader, which asked for ").append(stateQos())
                        .append(": a publisher of another type on the topic, or with incompatible QoS, never matches");
                if (cfg.stateReliable()) {
                    why.append("; a BEST_EFFORT publisher, as most drivers publish state, never matches a RELIABLE "
                            + "reader: use state_qos=best_effort");
                }
                why.append(")");
            } else {
                why.append(" (").append(statePublishers.get()).append(" publisher(s) matched, but nothing arrived");
                if (lastError != null) {
                    why.append("; ").append(lastError);
                }
                why.append(")");
            }
        }
        if (commandSubscribers.get() == 0) {
            why.append(statesReceived.get() == 0 ? ";" : "").append(" no subscriber of ").append(cfg.commandDdsType())
                    .append(" on ").append(cfg.commandDdsTopic()).append(" matched this writer, which offers "
                            + "RELIABLE, VOLATILE, KEEP_LAST 1 (a reader of another type, or one asking for more, "
                            + "e.g. TRANSIENT_LOCAL durability, never matches)");
        }
        return why.toString();
    }

    private final class StateListener implements SubscriberListener<JointState> {
        @Override
        public void onNewDataMessage(Subscriber<JointState> subscriber) {
            stateTid = Thread.currentThread().getId();
            // called once per new sample (taking until none is left makes the native layer log an error)
            if (!closed && subscriber.takeNextData(stateMsg, sampleInfo)) {
                long now = System.nanoTime();
                String error = parse(stateMsg, scratch);
                if (error != null) {
                    lastError = error;
                    return;
                }
                received(scratch, now);
            }
        }

        @Override
        public void onSubscriptionMatched(Subscriber<JointState> subscriber, MatchingInfo info) {
            if (info.getStatus() == MatchingInfo.MatchingStatus.MATCHED_MATCHING) {
                count("state_publishers_matched");
                statePublisherEverMatched = true;
                if (statePublishers.incrementAndGet() > 1 && fault == null) {
                    fault = "a second publisher on the state topic " + cfg.stateDdsTopic() + " (" + info.getGuid()
                            + "): two sources of joint state";
                }
            } else {
                count("state_publishers_unmatched");
                statePublishers.decrementAndGet();
            }
        }
    }

    private final class CommandMatches implements PublisherListener {
        @Override
        public void onPublicationMatched(Publisher publisher, MatchingInfo info) {
            if (info.getStatus() == MatchingInfo.MatchingStatus.MATCHED_MATCHING) {
                count("command_subscribers_matched");
                commandSubscriberEverMatched = true;
                commandSubscribers.incrementAndGet();
            } else {
                count("command_subscribers_unmatched");
                commandSubscribers.decrementAndGet();
            }
        }
    }

    /**
     * Picks the configured joints by name out of a JointState into {@code out} (positions; velocities and efforts
     * where the message has them, else 0) with the header stamp as the robot time; returns the reason for dropping
     * the message, or null. Allocation-free; remembers where each joint was, so an unchanged order costs one
     * comparison per joint.
     */
    String parse(JointState m, RobotState out) {
        IDLSequence.StringBuilderHolder names = m.getName();
        int n = names.size();
        if (m.getPosition().size() != n || m.getVelocity().size() != 0 && m.getVelocity().size() != n
                || m.getEffort().size() != 0 && m.getEffort().size() != n) {
            count("dropped_malformed");
            return "a JointState whose name, position, velocity and effort arrays differ in length";
        }
        for (int j = 0; j < dof; j++) {
            int k = nameIndex[j];
            if (k >= n || CharSequence.compare(names.get(k), jointNames[j]) != 0) {
                k = -1;
                for (int i = 0; i < n; i++) {
                    if (CharSequence.compare(names.get(i), jointNames[j]) == 0) {
                        k = i;
                        break;
                    }
                }
                if (k < 0) {
                    count("dropped_missing_joint");
                    return "a JointState without joint '" + jointNames[j] + "'";
                }
                nameIndex[j] = k;
            }
            out.positionsRad[j] = m.getPosition().get(k);
            out.velocitiesRadPerSec[j] = m.getVelocity().size() == n ? m.getVelocity().get(k) : 0;
            out.effortsNm[j] = m.getEffort().size() == n ? m.getEffort().get(k) : 0;
        }
        out.robotTimeNanos = m.getHeader().getStamp().getSec() * 1_000_000_000L + m.getHeader().getStamp().getNanosec();
        out.sequence++;
        out.reward = Double.NaN;
        out.robotStopped = false;
        return null;
    }

    // ------------------------------------------------------------------------------------------ command publisher

    @Override
    void publish(JointCommand c) {
        try {
            if (trajectory) {
                long stamp = trajectoryStamp(c);
                traj.getHeader().getStamp().setSec((int) Math.floorDiv(stamp, 1_000_000_000L));
                traj.getHeader().getStamp().setNanosec(Math.floorMod(stamp, 1_000_000_000L));
                point.getPositions().resetQuick();
                for (int i = 0; i < dof; i++) {
                    point.getPositions().add(c.positionsRad[commandOrder[i]]);
                }
                long expiry = c.expiryMicros * 1000L;
                point.getTimeFromStart().setSec((int) (expiry / 1_000_000_000L));
                point.getTimeFromStart().setNanosec(expiry % 1_000_000_000L);
                commandPublisher.write(traj);
            } else {
                array.getData().resetQuick();
                for (int i = 0; i < dof; i++) {
                    array.getData().add(c.positionsRad[commandOrder[i]]);
                }
                commandPublisher.write(array);
            }
            published.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                count("command_write_errors");
                lastError = "writing the command on " + cfg.commandDdsTopic() + ": " + e;
            }
        }
    }

    // --------------------------------------------------------------------------------------------- RobotLink

    @Override
    public Status status() {
        if (fault != null) {
            return Status.FAULT;
        }
        if (closed || statePublisherEverMatched && statePublishers.get() <= 0
                || commandSubscriberEverMatched && commandSubscribers.get() <= 0) {
            return Status.LOST;
        }
        return Status.OK;
    }

    @Override
    public String statusDetail() {
        if (fault != null) {
            return fault;
        }
        if (statePublisherEverMatched && statePublishers.get() <= 0) {
            return "the state publisher on " + cfg.stateDdsTopic() + " left (DDS unmatched it)";
        }
        if (commandSubscriberEverMatched && commandSubscribers.get() <= 0) {
            return "no subscriber left on the command topic " + cfg.commandDdsTopic() + " (DDS unmatched it)";
        }
        return lastError;
    }

    @Override
    void peerCounts(Map<String, Long> m) {
        m.put("state_publishers", (long) statePublishers.get());
        m.put("command_subscribers", (long) commandSubscribers.get());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (commandThread != null) {
            LockSupport.unpark(commandThread);
            try {
                commandThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (domain != null && participant != null) {
            try {
                domain.removeParticipant(participant);
            } catch (RuntimeException e) {
                lastError = "removing the DDS participant: " + e;
            }
        }
    }
}
