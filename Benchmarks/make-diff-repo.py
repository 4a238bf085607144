#!/usr/bin/env python3
"""Builds the synthetic repository for the diff benchmark: two commits whose diff touches
about 5,000 files and adds about 400,000 lines (edits, additions, deletions, renames).
Deterministic: the same seed gives the same repository."""
import os, random, subprocess, sys

import benchgit

final = sys.argv[1]
root = final + ".partial"  # renamed when complete, so an interrupted run is never reused
subprocess.run(["rm", "-rf", root], check=True)
rng = random.Random(20261126)
def git(*args):
    benchgit.git(root, *args)

def words(n):
    return " ".join(rng.choice(("let", "var", "func", "return", "value", "count", "index", "self", "guard", "else", "42", "name")) for _ in range(n))

def body(n, tag):
    return [f"// {tag} {i}: {words(8)}\n" for i in range(n)]

os.makedirs(root)
git("init", "-q", "-b", "main")
files = [f"pkg{d:03d}/module{f:02d}/File{d}_{f}.swift" for d in range(100) for f in range(50)]  # 5,000 files
contents = {}
for path in files:
    os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
    contents[path] = body(40, path)
    with open(os.path.join(root, path), "w") as fh:
        fh.writelines(contents[path])
git("add", "-A")
git("commit", "-q", "-m", "base")

modified, deleted, renamed = files[:4500], files[4500:4600], files[4600:4700]
for path in modified:  # 80 added lines in four runs, one line edited
    lines = contents[path]
    for k in range(4):
        at = rng.randrange(len(lines) + 1)
        lines[at:at] = body(20, f"added {k}")
    lines[rng.randrange(len(lines))] = f"// edited {words(6)}\n"
    with open(os.path.join(root, path), "w") as fh:
        fh.writelines(lines)
for path in deleted:
    os.remove(os.path.join(root, path))
for path in renamed:  # moved to another folder with two edited lines
    new = path.replace("pkg", "moved/pkg")
    os.makedirs(os.path.join(root, os.path.dirname(new)), exist_ok=True)
    lines = contents[path]
    lines[3] = "// renamed and edited\n"
    lines[30] = "// renamed and edited again\n"
    with open(os.path.join(root, new), "w") as fh:
        fh.writelines(lines)
    os.remove(os.path.join(root, path))
for i in range(300):  # new files
    path = f"new/pkg{i % 10}/Added{i}.swift"
    os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
    with open(os.path.join(root, path), "w") as fh:
        fh.writelines(body(134, path))
git("add", "-A")
git("commit", "-q", "-m", "head")
git("gc", "-q")  # a packed repository, as a clone would be
os.rename(root, final)
