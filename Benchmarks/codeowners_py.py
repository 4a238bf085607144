#!/usr/bin/env python3
"""The peer for the ownership benchmark: the `codeowners` package (a port of the Go matcher
behind hmarr/codeowners). Prints `path  @a @b` per path, as `gatehouse owners` does."""
import sys
from codeowners import CodeOwners

rules_file, paths_file = sys.argv[1], sys.argv[2]
owners = CodeOwners(open(rules_file, encoding="utf-8").read())
out = []
for line in open(paths_file, encoding="utf-8"):
    path = line.rstrip("\n")
    if not path:
        continue
    found = [name for _, name in owners.of(path)]
    out.append(f"{path}  {' '.join(found) if found else '(unowned)'}\n")
sys.stdout.write("".join(out))
