#!/usr/bin/env python3
"""Compares `gatehouse check --format json` with diff-cover's JSON report on the same change and
report: per-file uncovered changed lines, measured lines and the percentage. Exit 1 on any
difference."""
import json, sys

ours = json.load(open(sys.argv[1]))
theirs = json.load(open(sys.argv[2]))
gate = next(g for g in ours["gates"] if g["id"] == "coverage.changed_lines")
mine = {f["path"]: sorted(f["uncovered"]) for f in gate["files"] if f["uncovered"]}
their = {path: sorted(stat.get("violation_lines", [])) for path, stat in theirs["src_stats"].items() if stat.get("violation_lines")}
problems = []
if mine != their:
    differing = sorted(set(mine) ^ set(their) | {p for p in set(mine) & set(their) if mine[p] != their[p]})
    problems.append(f"uncovered lines differ on {len(differing)} files, e.g. {differing[:3]}")
if gate["measured"] != theirs["total_num_lines"]:
    problems.append(f"measured lines: gatehouse {gate['measured']}, diff-cover {theirs['total_num_lines']}")
if abs(gate["actual"] - theirs["total_percent_covered"]) >= 1:
    problems.append(f"percent: gatehouse {gate['actual']}, diff-cover {theirs['total_percent_covered']}")
if problems:
    print("DIFFERENT: " + "; ".join(problems))
    sys.exit(1)
print(f"answers: identical ({len(mine)} files with uncovered changed lines, {gate['measured']} measured lines, {gate['actual']}%)")
