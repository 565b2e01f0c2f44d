#!/usr/bin/env bash
# Runs the commands the READMEs document, with small sizes, the way a user types them, plus wrong input that must
# fail with one `error:` line and exit code 1. Exits non-zero on the first command that behaves otherwise.
# Usage: scripts/readme-commands.sh [WORK_DIR]   (default: a fresh temporary folder; needs ./armature's jar or Maven)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
A="$root/armature"
cd "$work" || exit 2
pass=0
fail=0

ok() { # ok DESCRIPTION -- COMMAND...: must exit 0
  local what="$1"; shift 2
  if "$@" > "$work/out.txt" 2> "$work/err.txt"; then
    pass=$((pass + 1)); echo "ok    $what"
  else
    fail=$((fail + 1)); echo "FAIL  $what (exit $?): $*"; tail -5 "$work/err.txt"
  fi
}

bad() { # bad DESCRIPTION EXPECTED_TEXT -- COMMAND...: must exit 1 with one error line containing EXPECTED_TEXT
  local what="$1" expect="$2"; shift 3
  "$@" > "$work/out.txt" 2> "$work/err.txt"
  local rc=$?
  if [ "$rc" = 1 ] && grep -q -- "$expect" "$work/err.txt" && [ "$(grep -c . "$work/err.txt")" = 1 ]; then
    pass=$((pass + 1)); echo "ok    $what (error: $(head -c 100 "$work/err.txt"))"
  else
    fail=$((fail + 1)); echo "FAIL  $what: exit $rc, expected 1 and one line containing '$expect'"; head -5 "$work/err.txt"
  fi
}

# README.md
ok "envs" -- "$A" envs
ok "envs check Pendulum-v1" -- "$A" envs check Pendulum-v1
ok "rollout random" -- "$A" rollout --env Hopper-v1 --policy random --episodes 2 --seed 0
ok "bench sim (short)" -- "$A" bench sim --env Pendulum-v1 --seconds 0.2 --warmup 0.1 --num-envs 2
ok "--help" -- "$A" --help
ok "--version" -- "$A" --version

# offline/README.md
ok "collect random" -- "$A" collect --env Pendulum-v1 --policy random --episodes 4 --out d.h5 --seed 0
ok "collect expert (Pendulum's scripted expert)" -- "$A" collect --env Pendulum-v1 --policy expert --episodes 2 --out e.h5 --noise 0.1
ok "datasets build pendulum" -- "$A" datasets build --suite pendulum --out datasets
ok "dataset info" -- "$A" dataset info d.h5
ok "dataset info --json" -- "$A" dataset info d.h5 --json
ok "dataset metrics" -- "$A" dataset metrics d.h5 --env Pendulum-v1 --reference datasets/pendulum-v1-expert.h5
ok "dataset mix" -- "$A" dataset mix e.h5:0.5 d.h5:0.5 --out mixed.h5
ok "dataset corrupt" -- "$A" dataset corrupt d.h5 --kind rewards --ratio 0.3 --scale 1.0 --out c.h5
ok "offline bc" -- "$A" offline --algo bc --dataset d.h5 --env Pendulum-v1 --steps 50 --sampler uniform --seed 0 --hidden 16 --eval-every 0 --eval-episodes 1 --run-dir runs/off-bc
ok "offline iql aw, iql.* keys" -- "$A" offline --algo iql --dataset d.h5 --env Pendulum-v1 --steps 50 --sampler aw --alpha 0.1 --seed 1 --hidden 16 --eval-every 0 --eval-episodes 1 --out runs --set iql.expectile=0.8 --set beta=2
bad "offline --resume of a finished run" "already finished" -- "$A" offline --resume runs/off-bc
bad "offline into an occupied --run-dir" "already holds a run" -- "$A" offline --algo bc --dataset d.h5 --env Pendulum-v1 --steps 50 --run-dir runs/off-bc
bad "offline unknown algo" "unknown --algo" -- "$A" offline --algo dqn --dataset d.h5 --env Pendulum-v1
bad "dataset corrupt onto its input" "" -- "$A" dataset corrupt d.h5 --kind rewards --ratio 0.3 --out d.h5

# README.md and offline/README.md: demonstrations and behaviour cloning with action chunks (issue 18)
ok "collect demonstrations --success-only" -- "$A" collect --env PushT-v1 --policy expert --expert-noise default --success-only --episodes 4 --seed 100000 --out pusht-demos.h5
ok "bc diffusion" -- "$A" bc --policy diffusion --dataset pusht-demos.h5 --env PushT-v1 --steps 20 --eval-every 10 --eval-episodes 1 --set hidden=16 --set blocks=1 --run-dir runs/bc-diffusion
ok "bc mlp" -- "$A" bc --policy mlp --dataset pusht-demos.h5 --env PushT-v1 --steps 20 --eval-every 0 --eval-episodes 1 --hidden 16 --out runs
ok "eval a diffusion bundle" -- "$A" eval --bundle runs/bc-diffusion/bundle --env PushT-v1 --episodes 1
ok "bench diffusion infer" -- "$A" bench diffusion --mode infer --denoiser mlp --hidden 64 --iters 20 --warmup 2
ok "bench residual (tiny)" -- "$A" bench residual --obs 3 --act 2 --hidden 16,16 --batch 8 --iters 5 --warmup 1 --steps 2000 --step-warmup 200
bad "bench residual one critic head" "--heads must be >= 2" -- "$A" bench residual --heads 1
bad "bc Tp < Ta" "chunk_length" -- "$A" bc --policy diffusion --dataset pusht-demos.h5 --env PushT-v1 --steps 5 --set chunk_length=4 --set executed_chunk=8 --out runs
bad "bc env spaces differ" "observation/action dims" -- "$A" bc --policy mlp --dataset pusht-demos.h5 --env Pendulum-v1 --steps 5 --out runs
bad "bc unknown policy" "--policy must be" -- "$A" bc --policy gmm --dataset pusht-demos.h5 --env PushT-v1
ok "residual on the bc base" -- "$A" residual --base runs/bc-diffusion/bundle --env PushTSparse-v1 --steps 120 --demos pusht-demos.h5 --set learning_starts=40 --set batch_size=16 --set eval_interval=60 --set eval_episodes=1 --set residual.actor_hidden=[16] --set residual.critic_hidden=[16] --set residual.critic_warmup_updates=10 --run-dir runs/residual
ok "eval residual bundle" -- "$A" eval --bundle runs/residual/bundle --env PushTSparse-v1 --episodes 1
ok "dsrl on the bc base" -- "$A" dsrl --base runs/bc-diffusion/bundle --env PushTSparse-v1 --steps 96 --set learning_starts=32 --set batch_size=16 --set updates_per_step=1 --set eval_interval=48 --set eval_episodes=1 --set sac.actor_hidden=[16] --set sac.critic_hidden=[16] --run-dir runs/dsrl
ok "eval dsrl bundle" -- "$A" eval --bundle runs/dsrl/bundle --env PushTSparse-v1 --episodes 1
bad "residual base of another task" "has observations of 11" -- "$A" residual --base runs/bc-diffusion/bundle --env PegInsertSparse-v1 --steps 10 --out runs
bad "dsrl on a non-chunked base" "samples its action chunks from noise" -- "$A" dsrl --base runs/residual/bundle --env PushTSparse-v1 --steps 10 --out runs
F="--env Pendulum-v1 --steps 400 --train-interval 4 --eval-intervals 1,2,4,8 --episodes 1 --set learning_starts=200 --set batch_size=16 --set eval_interval=400 --set eval_episodes=1 --set sac.actor_hidden=[16] --set sac.critic_hidden=[16]"
# shellcheck disable=SC2086
ok "fas srl" -- "$A" fas --algo srl $F --set sequence.model_hidden=[16] --set sequence.model_warmup_updates=20 --run-dir runs/fas-srl
# shellcheck disable=SC2086
ok "fas sac-repeat" -- "$A" fas --algo sac-repeat $F --run-dir runs/fas-repeat
ok "eval a sequence bundle" -- "$A" eval --bundle runs/fas-srl/bundle --env Pendulum-v1 --episodes 1
ok "fas summary and plot" -- "$A" fas --plot fas.png runs/fas-srl runs/fas-repeat
bad "fas without a reference return" "no reference return" -- "$A" fas --algo srl --env PegInsert-v1 --steps 100 --out runs
bad "fas sac with a train interval" "decides every control step" -- "$A" fas --algo sac --train-interval 8 --env Pendulum-v1 --steps 100 --out runs
bad "fas summary of an unevaluated run" "has no fas.json" -- "$A" fas --plot x.png runs/dsrl
bad "residual demos of another task" "recorded on" -- "$A" residual --base expert --env PegInsertSparse-v1 --steps 10 --demos pusht-demos.h5 --out runs
bad "residual without a base" "needs --base" -- "$A" residual --env PushTSparse-v1 --steps 10
bad "collect --expert-noise with a random policy" "expert" -- "$A" collect --env PushT-v1 --policy random --expert-noise default --episodes 1 --out x.h5

# agents/README.md
ok "train sac" -- "$A" train --algo sac --env Pendulum-v1 --steps 600 --seed 0 --run-dir runs/sac --set learning_starts=200 --set eval_interval=300 --set eval_episodes=2 --set 'sac.actor_hidden=[16,16]' --set 'sac.critic_hidden=[16,16]' --set save_replay=true
ok "eval bundle" -- "$A" eval --bundle runs/sac/bundle --env Pendulum-v1 --episodes 2
ok "collect --replay" -- "$A" collect --replay runs/sac --out replay.h5
ok "plot a run" -- "$A" plot runs/sac --out curve.png
ok "plot a run's success rate" -- "$A" plot runs/sac --metric success --out success.png
bad "train --resume of a finished run" "already finished" -- "$A" train --resume runs/sac
bad "train impossible gamma" "sac.gamma" -- "$A" train --algo sac --env Pendulum-v1 --steps 100 --set sac.gamma=5 --out runs
bad "train unknown env" "unknown environment id" -- "$A" train --algo sac --env Hopper-v9 --steps 100 --out runs
bad "eval a missing bundle" "does not exist" -- "$A" eval --bundle nope --env Pendulum-v1

# viz/README.md (headless)
ok "render a GIF" -- "$A" render --env Pendulum-v1 --policy runs/sac/bundle --episodes 1 --out render --gif --no-frames --size 64x48
ok "replay --check" -- "$A" replay d.h5 --episode 0 --check

# README.md and cluster/README.md: sweeps, cluster members, distributed collection (issue 23)
cat > sweep.json <<'JSON'
{"command": "train", "base": {"algo": "sac", "env": "Pendulum-v1", "steps": 300, "set": {"learning_starts": 100, "batch_size": 16, "sac.actor_hidden": [8], "sac.critic_hidden": [8], "eval_interval": 150, "eval_episodes": 1}}, "grid": {"sac.policy_lr": [0.0003, 0.001]}, "seeds": [1, 2]}
JSON
ok "sweep on the embedded member" -- "$A" sweep --spec sweep.json --out sweeps/lr
ok "cluster keys" -- "$A" cluster keys --out cluster-keys --members 2
"$A" cluster member --port 47590 --communication-port 47190 --cluster-name readme > member.log 2>&1 &
member_pid=$!
for _ in $(seq 1 100); do grep -q "^member " member.log && break; sleep 0.2; done
ok "cluster status" -- "$A" cluster status --join 127.0.0.1:47590 --cluster-name readme
ok "sweep on the cluster" -- "$A" sweep --spec sweep.json --out sweeps/lr-cluster --join 127.0.0.1:47590 --cluster-name readme
ok "collect --join" -- "$A" collect --env Pendulum-v1 --policy random --episodes 4 --noise 0.1 --out dist.h5 --join 127.0.0.1:47590 --cluster-name readme
ok "train on rollout workers of the cluster" -- "$A" train --algo sac --env Hopper-v1 --steps 600 --rollout-workers 2 --join 127.0.0.1:47590 --cluster-name readme --set learning_starts=300 --set eval_interval=300 --set eval_episodes=1 --set batch_size=16 --set sac.actor_hidden=[8] --set sac.critic_hidden=[8] --run-dir runs/rollouts-cluster
bad "td3 --num-envs 2 on rollout workers" "two ways to step envs" -- "$A" train --algo td3 --env Hopper-v1 --steps 600 --rollout-workers 2 --num-envs 2 --join 127.0.0.1:47590 --cluster-name readme
kill "$member_pid"; wait "$member_pid" 2>/dev/null
ok "bench cluster (short)" -- "$A" bench cluster --tasks 50 --in-flight 8 --batch 100 --batches 10
ok "bench cluster with rollout workers (short)" -- "$A" bench cluster --tasks 50 --in-flight 8 --batch 100 --batches 10 --env Hopper-v1 --seconds 1
ok "train on rollout workers of an embedded member" -- "$A" train --algo sac --env Pendulum-v1 --steps 600 --rollout-workers 2 --set learning_starts=300 --set eval_interval=300 --set eval_episodes=1 --set batch_size=16 --set sac.actor_hidden=[8] --set sac.critic_hidden=[8] --run-dir runs/rollouts-embedded
bad "residual on rollout workers" "rollout workers run sac and td3" -- "$A" residual --base expert --env ReachSparse-v1 --steps 600 --rollout-workers 2
bad "--join without rollout workers" "add --rollout-workers" -- "$A" train --algo sac --env Pendulum-v1 --steps 600 --join 127.0.0.1:47590
bad "cluster member on a public address without TLS" "without TLS" -- "$A" cluster member --bind 192.0.2.1
bad "cluster status of nobody" "could not join" -- "$A" cluster status --join 127.0.0.1:47599 --join-timeout-ms 1000
bad "sweep into a used --out" "already holds files" -- "$A" sweep --spec sweep.json --out sweeps/lr
echo '{"command": "rollout"}' > bad-sweep.json
bad "sweep spec with an unknown command" "must be one of" -- "$A" sweep --spec bad-sweep.json
bad "cluster keys into an existing folder" "never overwritten" -- "$A" cluster keys --out cluster-keys

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
