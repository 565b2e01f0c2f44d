/*
 * A ROS 2 robot arm as a Cyclone DDS program, for Ros2LinkDdsTest: it speaks ROS 2's topic and type naming over DDS
 * (topics "rt/<ros name>", types from ros2_msgs.idl such as "sensor_msgs::msg::dds_::JointState_"), without rcl.
 *
 * The arm: 7 joints named panda_joint1..7 with the Panda's position and speed limits, each tracking its commanded
 * position as a first-order system (time constant 1/KP) with the speed limit, integrated at 1 kHz in real time.
 * Every 1/publish_hz it publishes sensor_msgs/JointState with its joints in reverse order plus a finger joint
 * (names, positions, velocities, efforts = 0), stamped with the wall clock (CLOCK_REALTIME, as ROS time).
 * It subscribes the command topic as trajectory_msgs/JointTrajectory (joints picked by name; a command whose
 * header.stamp + time_from_start has passed is dropped and counted expired) or std_msgs/Float64MultiArray (data in
 * the order panda_joint1..7). Robot-side command timeout: no command for --command-timeout seconds (0.1) -> the arm
 * holds where it is until the next command.
 *
 * QoS: state writer BEST_EFFORT (as most robot drivers publish state; --state-reliability reliable for RELIABLE),
 * VOLATILE, KEEP_LAST 1; command reader RELIABLE, VOLATILE, KEEP_LAST 10 as rclcpp subscribes by default (with
 * KEEP_LAST 1 the reader loses commands that arrive in bursts) (--command-durability transient_local asks for more
 * than a VOLATILE writer offers: an incompatible QoS). Wrong types on purpose: --state-type
 * Float64MultiArray publishes that type on the state topic; --command-type JointState subscribes the command topic
 * with that type. Incompatible QoS that DDS reports (requested by the command reader, offered by the state writer)
 * are counted in the statistics.
 *
 * Statistics go to --stats FILE (JSON, rewritten atomically every 0.25 s and at exit): commands received, accepted,
 * expired, wrong_joints, watchdog_stops, first/last command wall time, (stamp, receive wall time) pairs in ns for
 * latency (first 20000), holding, positions, states_published, incompatible QoS counts. SIGTERM/SIGINT: clean exit
 * (the DDS entities are deleted, so peers see the writer and reader leave).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dds/dds.h"
#include "ros2_msgs.h"

#define DOF 7
#define MAX_PAIRS 20000
#define KP 40.0

static const char *JOINTS[DOF] = {"panda_joint1", "panda_joint2", "panda_joint3", "panda_joint4",
                                  "panda_joint5", "panda_joint6", "panda_joint7"};
static const char *FINGER = "panda_finger_joint1";
static const double LOWER[DOF] = {-2.8973, -1.7628, -2.8973, -3.0718, -2.8973, -0.0175, -2.8973};
static const double UPPER[DOF] = {2.8973, 1.7628, 2.8973, -0.0698, 2.8973, 3.7525, 2.8973};
static const double VMAX[DOF] = {2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61};

enum command_type { CMD_TRAJECTORY, CMD_MULTI_ARRAY, CMD_JOINT_STATE };

static volatile sig_atomic_t stop_requested = 0;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double q[DOF], qd[DOF], target[DOF];
static bool holding = true;
static double last_command_mono = -1;
static long commands, accepted, expired, wrong_joints, watchdog_stops, states_published;
static double first_command_wall = -1, last_command_wall = -1;
static long long pair_stamp[MAX_PAIRS], pair_recv[MAX_PAIRS];
static long pairs;
static enum command_type command_type = CMD_TRAJECTORY;

static double mono_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + t.tv_nsec * 1e-9;
}

static long long wall_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void on_signal(int sig) {
  (void) sig;
  stop_requested = 1;
}

static void die(const char *what, dds_return_t rc) {
  fprintf(stderr, "arm_peer: %s: %s\n", what, rc < 0 ? dds_strretcode(rc) : "failed");
  exit(2);
}

static int joint_index(const char *name) {
  for (int i = 0; i < DOF; i++) {
    if (strcmp(name, JOINTS[i]) == 0) {
      return i;
    }
  }
  return -1;
}

/* Called with the lock held: a new target from a valid command. */
static void accept_target(const double *t, double now_mono) {
  for (int i = 0; i < DOF; i++) {
    target[i] = t[i];
  }
  holding = false;
  last_command_mono = now_mono;
  accepted++;
}

static void count_command(long long recv_wall) {
  commands++;
  double w = recv_wall * 1e-9;
  if (first_command_wall < 0) {
    first_command_wall = w;
  }
  last_command_wall = w;
}

static void on_command(dds_entity_t reader, void *arg) {
  (void) arg;
  void *samples[16] = {0};
  dds_sample_info_t infos[16];
  for (;;) {
    int n = dds_take(reader, samples, infos, 16, 16);
    if (n <= 0) {
      break;
    }
    long long recv = wall_ns();
    double now = mono_now();
    pthread_mutex_lock(&lock);
    for (int k = 0; k < n; k++) {
      if (!infos[k].valid_data) {
        continue;
      }
      count_command(recv);
      double t[DOF];
      if (command_type == CMD_TRAJECTORY) {
        const trajectory_msgs_msg_dds__JointTrajectory_ *m = samples[k];
        long long stamp = (long long) m->header.stamp.sec * 1000000000LL + m->header.stamp.nanosec;
        if (pairs < MAX_PAIRS) {
          pair_stamp[pairs] = stamp;
          pair_recv[pairs] = recv;
          pairs++;
        }
        if (m->points._length < 1 || m->joint_names._length != DOF
            || m->points._buffer[0].positions._length != DOF) {
          wrong_joints++;
          continue;
        }
        const trajectory_msgs_msg_dds__JointTrajectoryPoint_ *p = &m->points._buffer[0];
        long long expiry = stamp + (long long) p->time_from_start.sec * 1000000000LL + p->time_from_start.nanosec;
        if (expiry < recv) {
          expired++;
          continue;
        }
        int seen = 0;
        for (uint32_t j = 0; j < DOF; j++) {
          int i = joint_index(m->joint_names._buffer[j]);
          if (i < 0 || (seen & (1 << i))) {
            seen = -1;
            break;
          }
          seen |= 1 << i;
          t[i] = p->positions._buffer[j];
        }
        if (seen != (1 << DOF) - 1) {
          wrong_joints++;
          continue;
        }
      } else if (command_type == CMD_MULTI_ARRAY) {
        const std_msgs_msg_dds__Float64MultiArray_ *m = samples[k];
        if (m->data._length != DOF) {
          wrong_joints++;
          continue;
        }
        for (int i = 0; i < DOF; i++) {
          t[i] = m->data._buffer[i];
        }
      } else {
        continue; /* the wrong type on purpose: never matches the bridge's writer */
      }
      bool finite = true;
      for (int i = 0; i < DOF; i++) {
        finite = finite && isfinite(t[i]);
      }
      if (finite) {
        accept_target(t, now);
      } else {
        wrong_joints++;
      }
    }
    pthread_mutex_unlock(&lock);
    dds_return_loan(reader, samples, n);
  }
}

static void write_stats(const char *path, dds_entity_t reader, dds_entity_t writer) {
  dds_requested_incompatible_qos_status_t rq = {0};
  dds_offered_incompatible_qos_status_t oq = {0};
  dds_subscription_matched_status_t sm = {0};
  dds_get_requested_incompatible_qos_status(reader, &rq);
  dds_get_offered_incompatible_qos_status(writer, &oq);
  dds_get_subscription_matched_status(reader, &sm);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) {
    return;
  }
  pthread_mutex_lock(&lock);
  fprintf(f, "{\"commands\": %ld, \"accepted\": %ld, \"expired\": %ld, \"wrong_joints\": %ld, "
             "\"watchdog_stops\": %ld, \"states_published\": %ld, \"holding\": %s, "
             "\"first_command_wall\": %.9f, \"last_command_wall\": %.9f, "
             "\"requested_incompatible_qos\": %u, \"requested_incompatible_policy\": %d, "
             "\"offered_incompatible_qos\": %u, \"offered_incompatible_policy\": %d, "
             "\"command_writers_matched\": %u, \"positions\": [",
          commands, accepted, expired, wrong_joints, watchdog_stops, states_published, holding ? "true" : "false",
          first_command_wall, last_command_wall, rq.total_count, (int) rq.last_policy_id, oq.total_count,
          (int) oq.last_policy_id, sm.current_count);
  for (int i = 0; i < DOF; i++) {
    fprintf(f, "%s%.9f", i ? ", " : "", q[i]);
  }
  fprintf(f, "], \"latency_pairs\": [");
  for (long k = 0; k < pairs; k++) {
    fprintf(f, "%s[%lld, %lld]", k ? ", " : "", pair_stamp[k], pair_recv[k]);
  }
  fprintf(f, "]}\n");
  pthread_mutex_unlock(&lock);
  fclose(f);
  rename(tmp, path);
}

static void parse_q0(const char *s) {
  char *copy = strdup(s);
  char *save = NULL;
  int i = 0;
  for (char *tok = strtok_r(copy, ",", &save); tok != NULL && i < DOF; tok = strtok_r(NULL, ",", &save)) {
    q[i++] = strtod(tok, NULL);
  }
  free(copy);
  if (i != DOF) {
    fprintf(stderr, "arm_peer: --q0 needs %d values\n", DOF);
    exit(2);
  }
}

static void usage(void) {
  fprintf(stderr, "usage: arm_peer --stats FILE [--domain N] [--state-topic rt/joint_states] "
                  "[--command-topic rt/arm/command] [--command-type JointTrajectory|Float64MultiArray|JointState] "
                  "[--state-type JointState|Float64MultiArray] [--state-reliability best_effort|reliable] "
                  "[--command-durability volatile|transient_local] [--q0 a,b,...] [--publish-hz 500] "
                  "[--command-timeout 0.1]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int domain = 0;
  const char *state_topic = "rt/joint_states";
  const char *command_topic = "rt/arm/command";
  const char *stats = NULL;
  bool state_multi_array = false;
  bool state_reliable = false;
  bool command_transient_local = false;
  double publish_hz = 500;
  double command_timeout = 0.1;
  const double q_home[DOF] = {0.0, -0.785398, 0.0, -2.356194, 0.0, 1.570796, 0.785398};
  memcpy(q, q_home, sizeof q);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) {
      usage();
    }
    i++;
    if (!strcmp(a, "--domain")) {
      domain = atoi(v);
    } else if (!strcmp(a, "--state-topic")) {
      state_topic = v;
    } else if (!strcmp(a, "--command-topic")) {
      command_topic = v;
    } else if (!strcmp(a, "--stats")) {
      stats = v;
    } else if (!strcmp(a, "--command-type")) {
      command_type = !strcmp(v, "JointTrajectory") ? CMD_TRAJECTORY
                   : !strcmp(v, "Float64MultiArray") ? CMD_MULTI_ARRAY
                   : !strcmp(v, "JointState") ? CMD_JOINT_STATE : (usage(), CMD_TRAJECTORY);
    } else if (!strcmp(a, "--state-type")) {
      state_multi_array = !strcmp(v, "Float64MultiArray");
    } else if (!strcmp(a, "--state-reliability")) {
      state_reliable = !strcmp(v, "reliable");
    } else if (!strcmp(a, "--command-durability")) {
      command_transient_local = !strcmp(v, "transient_local");
    } else if (!strcmp(a, "--q0")) {
      parse_q0(v);
    } else if (!strcmp(a, "--publish-hz")) {
      publish_hz = atof(v);
    } else if (!strcmp(a, "--command-timeout")) {
      command_timeout = atof(v);
    } else {
      usage();
    }
  }
  if (stats == NULL || publish_hz <= 0 || publish_hz > 1000 || command_timeout <= 0) {
    usage();
  }
  memcpy(target, q, sizeof q);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  dds_entity_t participant = dds_create_participant((dds_domainid_t) domain, NULL, NULL);
  if (participant < 0) {
    die("create participant", participant);
  }
  const dds_topic_descriptor_t *state_desc = state_multi_array ? &std_msgs_msg_dds__Float64MultiArray__desc
                                                               : &sensor_msgs_msg_dds__JointState__desc;
  const dds_topic_descriptor_t *command_desc = command_type == CMD_TRAJECTORY
                                                   ? &trajectory_msgs_msg_dds__JointTrajectory__desc
                                               : command_type == CMD_MULTI_ARRAY
                                                   ? &std_msgs_msg_dds__Float64MultiArray__desc
                                                   : &sensor_msgs_msg_dds__JointState__desc;
  dds_entity_t st = dds_create_topic(participant, state_desc, state_topic, NULL, NULL);
  dds_entity_t ct = dds_create_topic(participant, command_desc, command_topic, NULL, NULL);
  if (st < 0 || ct < 0) {
    die("create topic", st < 0 ? st : ct);
  }
  dds_qos_t *wq = dds_create_qos();
  dds_qset_reliability(wq, state_reliable ? DDS_RELIABILITY_RELIABLE : DDS_RELIABILITY_BEST_EFFORT,
                       DDS_MSECS(100));
  dds_qset_history(wq, DDS_HISTORY_KEEP_LAST, 1);
  dds_qset_durability(wq, DDS_DURABILITY_VOLATILE);
  dds_entity_t writer = dds_create_writer(participant, st, wq, NULL);
  dds_delete_qos(wq);
  dds_qos_t *rq = dds_create_qos();
  dds_qset_reliability(rq, DDS_RELIABILITY_RELIABLE, DDS_MSECS(100));
  dds_qset_history(rq, DDS_HISTORY_KEEP_LAST, 10); /* rclcpp's default subscription depth */
  dds_qset_durability(rq, command_transient_local ? DDS_DURABILITY_TRANSIENT_LOCAL : DDS_DURABILITY_VOLATILE);
  dds_listener_t *listener = dds_create_listener(NULL);
  dds_lset_data_available(listener, on_command);
  dds_entity_t reader = dds_create_reader(participant, ct, rq, listener);
  dds_delete_qos(rq);
  dds_delete_listener(listener);
  if (writer < 0 || reader < 0) {
    die("create writer/reader", writer < 0 ? writer : reader);
  }
  printf("arm_peer: domain %d, state %s (%s, %s), command %s (%s, RELIABLE, %s)\n", domain, state_topic,
         state_desc->m_typename, state_reliable ? "RELIABLE" : "BEST_EFFORT", command_topic,
         command_desc->m_typename, command_transient_local ? "TRANSIENT_LOCAL" : "VOLATILE");
  fflush(stdout);

  /* the state message: joints reversed, then the finger */
  enum { N = DOF + 1 };
  char *names[N];
  double pos[N], vel[N], eff[N];
  for (int i = 0; i < DOF; i++) {
    names[i] = (char *) JOINTS[DOF - 1 - i];
  }
  names[DOF] = (char *) FINGER;
  sensor_msgs_msg_dds__JointState_ js;
  memset(&js, 0, sizeof js);
  js.header.frame_id = "";
  js.name._length = js.name._maximum = N;
  js.name._buffer = names;
  js.position._length = js.position._maximum = N;
  js.position._buffer = pos;
  js.velocity._length = js.velocity._maximum = N;
  js.velocity._buffer = vel;
  js.effort._length = js.effort._maximum = N;
  js.effort._buffer = eff;
  std_msgs_msg_dds__Float64MultiArray_ wrong;
  memset(&wrong, 0, sizeof wrong);
  wrong.data._length = wrong.data._maximum = N;
  wrong.data._buffer = pos;

  const double dt = 0.001;
  const long publish_every = lround(1000.0 / publish_hz) < 1 ? 1 : lround(1000.0 / publish_hz);
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  double next_stats = mono_now();
  for (long step = 0; !stop_requested; step++) {
    next.tv_nsec += 1000000;
    if (next.tv_nsec >= 1000000000) {
      next.tv_nsec -= 1000000000;
      next.tv_sec++;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR && !stop_requested) {
    }
    double now = mono_now();
    pthread_mutex_lock(&lock);
    if (!holding && now - last_command_mono > command_timeout) {
      holding = true; /* robot-side command timeout: hold where the arm is */
      watchdog_stops++;
      memcpy(target, q, sizeof q);
    }
    for (int i = 0; i < DOF; i++) {
      double t = fmin(UPPER[i], fmax(LOWER[i], target[i]));
      double v = fmin(VMAX[i], fmax(-VMAX[i], KP * (t - q[i])));
      q[i] = fmin(UPPER[i], fmax(LOWER[i], q[i] + v * dt));
      qd[i] = v;
    }
    bool publish = step % publish_every == 0;
    if (publish) {
      for (int i = 0; i < DOF; i++) {
        pos[i] = q[DOF - 1 - i];
        vel[i] = qd[DOF - 1 - i];
        eff[i] = 0;
      }
      pos[DOF] = 0.02;
      vel[DOF] = 0;
      eff[DOF] = 0;
    }
    pthread_mutex_unlock(&lock);
    if (publish) {
      long long w = wall_ns();
      js.header.stamp.sec = (int32_t) (w / 1000000000LL);
      js.header.stamp.nanosec = (uint32_t) (w % 1000000000LL);
      dds_return_t rc = dds_write(writer, state_multi_array ? (void *) &wrong : (void *) &js);
      if (rc < 0) {
        fprintf(stderr, "arm_peer: write: %s\n", dds_strretcode(rc));
      } else {
        pthread_mutex_lock(&lock);
        states_published++;
        pthread_mutex_unlock(&lock);
      }
    }
    if (now >= next_stats) {
      write_stats(stats, reader, writer);
      next_stats = now + 0.25;
    }
  }
  write_stats(stats, reader, writer);
  dds_delete(participant);
  return 0;
}
