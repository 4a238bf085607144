#!/usr/bin/env python3
"""The coverage benchmark case: a repository of 20,000 files whose last commit changes 5,000 of
them (20 added lines each), and LCOV reports for all 20,000 files: `lcov-1x.info` (about 200 MB,
1,000 measured lines a file) and `lcov-2x.info` (twice that). Deterministic."""
import os, subprocess, sys

import benchgit

out = sys.argv[1]
repo = os.path.join(out, "repo")
partial = repo + ".partial"
def git(*args):
    benchgit.git(partial, *args)

files = [f"src/p{d:03d}/mod{f:03d}.py" for d in range(200) for f in range(100)]  # 20,000
if not os.path.isdir(repo):
    subprocess.run(["rm", "-rf", partial], check=True)
    os.makedirs(partial)
    git("init", "-q", "-b", "main")
    for path in files:
        os.makedirs(os.path.join(partial, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(partial, path), "w") as fh:
            fh.writelines(f"value_{i} = {i}\n" for i in range(40))
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    for path in files[::4]:  # 5,000 files: 20 lines added after line 40
        with open(os.path.join(partial, path), "a") as fh:
            fh.writelines(f"added_{i} = {i}\n" for i in range(20))
    git("add", "-A")
    git("commit", "-q", "-m", "change")
    os.rename(partial, repo)

def write_lcov(name, lines_per_file):
    target = os.path.join(out, name)
    if os.path.exists(target):
        return
    with open(target + ".partial", "w") as fh:
        for n, path in enumerate(files):
            fh.write(f"TN:\nSF:{os.path.join(repo, path)}\n")
            # Lines that never ran: every seventh, and one in five of the added lines 41-60.
            fh.write("".join(f"DA:{line},{0 if line % 7 == 0 or (41 <= line <= 60 and (line + n) % 5 == 0) else 3}\n"
                             for line in range(1, lines_per_file + 1)))
            fh.write(f"LF:{lines_per_file}\nLH:0\nend_of_record\n")
    os.rename(target + ".partial", target)

write_lcov("lcov-1x.info", 1110)
write_lcov("lcov-2x.info", 2220)
