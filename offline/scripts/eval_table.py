#!/usr/bin/env python3
"""Seed table of offline runs' periodic evaluations, as BENCHMARKS.md prints them.

    python3 offline/scripts/eval_table.py RUN_DIR... [--vs RUN_DIR...] [--column normalized_score] [--from STEP]

Reads each run's eval.csv (written by `armature offline`), one run per seed, and prints a Markdown table: one row per
evaluation step with every run's score and the mean ± population std over the runs that reached that step. With
--vs (e.g. the BC runs of the same dataset) it also prints, for the steps both sets evaluated, the two means, and
each set's mean over all its evaluations (from --from STEP on, when given) and Welch's t of the two sets' final
evaluations (sample standard deviations).
"""
import argparse
import csv
import os
import statistics
import sys


def load(run_dirs, column):
    scores = {}
    for run in run_dirs:
        path = os.path.join(run, "eval.csv")
        if not os.path.isfile(path):
            sys.exit(f"eval_table: {path} not found (expected a run directory of `armature offline`)")
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            if column not in (reader.fieldnames or []):
                sys.exit(f"eval_table: {path} has no column {column!r} (columns: {', '.join(reader.fieldnames or [])})")
            for row in reader:
                scores.setdefault(int(row["step"]), {})[run] = float(row[column])
    return scores


def complete(scores, runs):
    return [step for step in sorted(scores) if len(scores[step]) == len(runs)]


def mean_std(values):
    values = list(values)
    return statistics.mean(values), statistics.pstdev(values)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("runs", nargs="+", metavar="RUN_DIR")
    p.add_argument("--vs", nargs="+", default=[], metavar="RUN_DIR", help="runs to compare with")
    p.add_argument("--column", default="normalized_score", help="eval.csv column (default: normalized_score)")
    p.add_argument("--from", dest="from_step", type=int, default=0, metavar="STEP",
                   help="average each run over its evaluations at STEP and later only (default: all)")
    a = p.parse_args()
    scores = load(a.runs, a.column)
    names = [os.path.basename(os.path.normpath(r)) for r in a.runs]
    print("| gradient steps | " + " | ".join(names) + " | mean ± std |")
    print("| --- " * (len(names) + 2) + "|")
    for step in sorted(scores):
        cells = [f"{scores[step][r]:.1f}" if r in scores[step] else "" for r in a.runs]
        m = "%.1f ± %.1f" % mean_std(scores[step].values()) if len(scores[step]) == len(a.runs) else ""
        print(f"| {step // 1000}k | " + " | ".join(cells) + f" | {m} |")
    if not a.vs:
        return
    other = load(a.vs, a.column)
    mine = [s for s in complete(scores, a.runs) if s >= a.from_step]
    theirs = [s for s in complete(other, a.vs) if s >= a.from_step]
    if not mine or not theirs:
        sys.exit(f"eval_table: no evaluation at step {a.from_step} or later that every run of "
                 f"{'RUN_DIR' if not mine else '--vs'} reached")
    common = sorted(set(mine) & set(theirs))
    print()
    print("steps both evaluated (mean vs mean): " + ", ".join(
        f"{s // 1000}k {statistics.mean(scores[s].values()):.1f} vs {statistics.mean(other[s].values()):.1f}"
        for s in common))
    for label, sc, steps in (("runs", scores, mine), ("--vs", other, theirs)):
        per_run = [statistics.mean(sc[s][r] for s in steps) for r in sc[steps[0]]]
        print(f"{label}: mean over the {len(steps)} evaluations {steps[0] // 1000}k–{steps[-1] // 1000}k, per run "
              + " / ".join(f"{x:.1f}" for x in per_run) + f" (mean {statistics.mean(per_run):.1f})")
    last_a, last_b = list(scores[mine[-1]].values()), list(other[theirs[-1]].values())
    if len(last_a) > 1 and len(last_b) > 1:
        se = (statistics.variance(last_a) / len(last_a) + statistics.variance(last_b) / len(last_b)) ** 0.5
        print(f"final evaluations ({mine[-1] // 1000}k vs {theirs[-1] // 1000}k): "
              f"{statistics.mean(last_a):.1f} vs {statistics.mean(last_b):.1f}, Welch's t "
              f"{(statistics.mean(last_a) - statistics.mean(last_b)) / se:.1f}")


if __name__ == "__main__":
    main()
