#!/usr/bin/env bash
# Evaluates trained chunked bundles with another executed chunk length (Ta) than they were trained with: a copy of
# each bundle with bundle.json's executedChunk set, then `armature eval` on the held-out seeds 5000-5049.
#   scripts/bench/executed-chunk.sh ENV_ID "1 2 4" RUN_DIR...      (BENCHMARKS.md, "Executed actions per chunk")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
env_id="$1"; tas="$2"; shift 2
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for run in "$@"; do
  for ta in $tas; do
    b="$tmp/$(basename "$run")-ta$ta"; cp -r "$run/bundle" "$b"
    /usr/bin/python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['executedChunk']=int(sys.argv[2]); json.dump(d,open(p,'w'),indent=1)" "$b/bundle.json" "$ta"
    echo "$(basename "$run") Ta=$ta: $("$root/armature" eval --bundle "$b" --env "$env_id" --episodes 50 --seed 5000 2>&1 | tail -1)"
  done
done
