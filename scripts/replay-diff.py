#!/usr/bin/env python3
"""Replay a repository's real history through `gatehouse diff` and `git diff`, file by file.

The oracle is git itself: for every commit (against its first parent) and a few long ranges,
under git's default line diff and under every diff.algorithm x diff.indentHeuristic setting,
Gatehouse must report the same files, statuses, paths, binary flags, added line ranges and
added/deleted counts as `git diff -M`.

    scripts/replay-diff.py --gatehouse .build/release/gatehouse --repo /tmp/replay/redis \\
        [--commits 300] [--ranges 5] [--settings all|default] [--mode config|flags|both] \\
        [--cases-dir /tmp/replay-cases/redis] [--jobs 2] [--seed 1] [--shrink-limit 20] \\
        [--summary-json FILE]

Modes:
  config  the setting is written to the repository's own config (`git config diff.algorithm X`,
          `git config diff.indentHeuristic true|false`; both unset for `default`), so both tools
          must read it from there. The repository's previous values are restored at the end.
  flags   git gets `-c diff.algorithm=X -c diff.indentHeuristic=B`, Gatehouse gets
          `--diff-algorithm X --[no-]indent-heuristic`, while the repository's config holds a
          decoy (another algorithm, the opposite heuristic) that the flags must override.
          Skipped, with a message, when `gatehouse diff --help` does not list those flags.

Git's answer per diff is three outputs listing files in the same order (as
Tests/Support/GitOracle.swift reads them): `--raw -z -M --no-abbrev` (statuses and scores as
`--name-status -z -M` prints them, plus the blob ids), `--numstat -z -M`, and the `-U0` patch
(a type change is two patch sections; its added lines are the second's).

Every differing file becomes a case under --cases-dir/<mode>-<setting>/<id>/: old and new blobs,
git's -U0 patch for the file, case.json (setting, commits, path, both answers). When the line
difference reproduces with the two blobs alone in a scratch repository, the case is also shrunk
(chunks of lines are cut from both sides while the difference persists) into min/old, min/new,
min/git-U0.patch and min/case.json: those are sized to become offline test fixtures.

Exit status: 0 when every file agrees, 1 when any differs (or Gatehouse fails), 2 on usage errors.
Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures as futures
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

ALGORITHMS = ["myers", "minimal", "patience", "histogram"]
STATUS_LETTERS = {"added": "A", "modified": "M", "deleted": "D", "renamed": "R",
                  "copied": "C", "type-changed": "T"}
GIT_COMMON = ["-c", "core.quotePath=false", "diff", "--no-ext-diff", "--no-color"]
HUNK_RE = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


# --------------------------------------------------------------------------------------------
# Settings

@dataclass(frozen=True)
class Setting:
    name: str                 # "default" or e.g. "patience-noindent"
    algorithm: str | None     # None: git's default (myers)
    indent: bool | None       # None: git's default (true)

    def describe(self) -> dict:
        return {"name": self.name,
                "diff.algorithm": self.algorithm or "(unset: myers)",
                "diff.indentHeuristic": "(unset: true)" if self.indent is None else self.indent}


def all_settings(which: str) -> list[Setting]:
    settings = [Setting("default", None, None)]
    if which == "all":
        for algorithm in ALGORITHMS:
            for indent in (True, False):
                settings.append(Setting(f"{algorithm}-{'indent' if indent else 'noindent'}",
                                        algorithm, indent))
    return settings


def decoy_for(setting: Setting) -> Setting:
    """A config the flags must override: another algorithm and the opposite heuristic."""
    algorithm = "histogram" if setting.algorithm != "histogram" else "myers"
    indent = not (setting.indent if setting.indent is not None else True)
    return Setting("decoy", algorithm, indent)


# --------------------------------------------------------------------------------------------
# Processes

def run(args: list[str], cwd: str | None = None, input: bytes | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") or k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                                                "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    env["LC_ALL"] = "C"
    proc = subprocess.run(args, cwd=cwd, input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace')[:500]}")
    return proc


def git(repo: str, *args: str, **kw) -> bytes:
    return run(["git", "-C", repo, *args], **kw).stdout


def write_setting_to_config(repo: str, setting: Setting) -> None:
    for key, value in (("diff.algorithm", setting.algorithm),
                       ("diff.indentHeuristic",
                        None if setting.indent is None else ("true" if setting.indent else "false"))):
        if value is None:
            run(["git", "-C", repo, "config", "--local", "--unset-all", key], check=False)
        else:
            run(["git", "-C", repo, "config", "--local", key, value])


def read_config(repo: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for key in ("diff.algorithm", "diff.indentHeuristic"):
        proc = run(["git", "-C", repo, "config", "--local", "--get", key], check=False)
        values[key] = proc.stdout.decode().strip() if proc.returncode == 0 else None
    return values


def restore_config(repo: str, values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            run(["git", "-C", repo, "config", "--local", "--unset-all", key], check=False)
        else:
            run(["git", "-C", repo, "config", "--local", key, value])


def git_setting_args(setting: Setting, mode: str) -> list[str]:
    if mode != "flags":
        return []
    args = []
    if setting.algorithm:
        args += ["-c", f"diff.algorithm={setting.algorithm}"]
    if setting.indent is not None:
        args += ["-c", f"diff.indentHeuristic={'true' if setting.indent else 'false'}"]
    return args


def gatehouse_setting_args(setting: Setting, mode: str) -> list[str]:
    if mode != "flags":
        return []
    args = []
    if setting.algorithm:
        args += ["--diff-algorithm", setting.algorithm]
    if setting.indent is not None:
        args.append("--indent-heuristic" if setting.indent else "--no-indent-heuristic")
    return args


# --------------------------------------------------------------------------------------------
# The two answers

@dataclass
class FileAnswer:
    status: str
    path: bytes
    old_path: bytes | None
    binary: bool
    added: list[tuple[int, int]]
    added_count: int
    deleted_count: int
    similarity: int | None = None
    # git only
    old_blob: str | None = None
    new_blob: str | None = None
    patch: bytes = b""
    hunks: list[tuple[int, int, int, int]] = field(default_factory=list)
    patch_plus: int = 0
    patch_minus: int = 0

    def short(self) -> dict:
        return {"status": self.status + (str(self.similarity) if self.similarity is not None else ""),
                "path": self.path.decode(errors="replace"),
                "oldPath": None if self.old_path is None else self.old_path.decode(errors="replace"),
                "binary": self.binary, "added": [list(r) for r in self.added],
                "addedCount": self.added_count, "deletedCount": self.deleted_count}


def split_z(data: bytes) -> list[bytes]:
    fields = data.split(b"\0")
    if fields and fields[-1] == b"":
        fields.pop()
    return fields


@dataclass
class Section:
    text: bytes
    hunks: list[tuple[int, int, int, int]]   # (old start, old count, new start, new count)
    added: list[tuple[int, int]]             # new-file lines of the '+' lines, as ranges
    plus: int                                # '+' lines
    minus: int                               # '-' lines


def patch_sections(patch: bytes) -> list[Section]:
    """Per `diff --git` section of a patch: its bytes, hunk headers, and the lines its '+' and
    '-' lines stand for (with -U0 the added ranges are exactly the hunks' new sides)."""
    sections: list[Section] = []
    lines: list[bytes] = []
    new_line = 0
    in_hunk = False

    def add(n: int) -> None:
        added = sections[-1].added
        if added and added[-1][1] == n - 1:
            added[-1] = (added[-1][0], n)
        else:
            added.append((n, n))

    for line in patch.split(b"\n"):
        if line.startswith(b"diff --git "):
            if sections:
                sections[-1].text = b"\n".join(lines) + b"\n"
            sections.append(Section(b"", [], [], 0, 0))
            lines = []
            in_hunk = False
        if not sections:
            continue
        lines.append(line)
        if line.startswith(b"@@ "):
            m = HUNK_RE.match(line)
            if m:
                a, b, c, d = m.groups()
                sections[-1].hunks.append((int(a), 1 if b is None else int(b),
                                           int(c), 1 if d is None else int(d)))
                new_line = int(c) if d != b"0" else int(c) + 1
                in_hunk = True
            continue
        if not in_hunk or not line:
            continue
        if line[:1] == b"+":
            add(new_line)
            sections[-1].plus += 1
            new_line += 1
        elif line[:1] == b"-":
            sections[-1].minus += 1
        elif line[:1] == b" ":
            new_line += 1
    if sections:
        sections[-1].text = b"\n".join(lines) + b"\n"
    return sections


# Lines of context of the patch git's added lines are read from: 0 is `git diff -U0` (whose
# xdi_diff trims the common tail first, see git_self_inconsistent); --context 3 reads them from
# the default patch instead, which is computed as --numstat computes its counts.
CONTEXT = 0


def git_answer(repo: str, base: str, head: str, extra: list[str]) -> list[FileAnswer]:
    pre = ["git", "-C", repo, *extra]
    raw = run(pre + GIT_COMMON + ["--raw", "-z", "-M", "--no-abbrev", base, head]).stdout
    numstat = run(pre + GIT_COMMON + ["--numstat", "-z", "-M", base, head]).stdout
    patch = run(pre + GIT_COMMON + ["-M", f"-U{CONTEXT}", "--src-prefix=a/", "--dst-prefix=b/",
                                    base, head]).stdout

    entries = []
    fields = split_z(raw)
    i = 0
    while i < len(fields):
        meta = fields[i].split(b" ")   # :oldmode newmode oldsha newsha STATUS[score]
        status = meta[4][:1].decode()
        score = int(meta[4][1:]) if len(meta[4]) > 1 else None
        old_blob, new_blob = meta[2].decode(), meta[3].decode()
        if status in ("R", "C"):
            entries.append((status, score, fields[i + 1], fields[i + 2], old_blob, new_blob))
            i += 3
        else:
            entries.append((status, None, None, fields[i + 1], old_blob, new_blob))
            i += 2

    counts = []
    fields = split_z(numstat)
    i = 0
    while i < len(fields):
        parts = fields[i].split(b"\t", 2)
        added = None if parts[0] == b"-" else int(parts[0])
        deleted = None if parts[1] == b"-" else int(parts[1])
        counts.append((added, deleted))
        i += 3 if len(parts) == 3 and parts[2] == b"" else 1

    sections = patch_sections(patch)
    expected = sum(2 if e[0] == "T" else 1 for e in entries)
    if len(entries) != len(counts) or len(sections) != expected:
        raise RuntimeError(f"git's listings disagree for {base}..{head}: {len(entries)} statuses, "
                           f"{len(counts)} counts, {len(sections)} patch sections")
    result = []
    s = 0
    for (status, score, old, path, old_blob, new_blob), (added, deleted) in zip(entries, counts):
        text = sections[s].text
        if status == "T":
            s += 1
            text += sections[s].text
        section = sections[s]
        s += 1
        result.append(FileAnswer(
            status=status, path=path, old_path=old, binary=added is None,
            added=section.added, added_count=added or 0, deleted_count=deleted or 0,
            similarity=score, old_blob=old_blob, new_blob=new_blob, patch=text,
            hunks=section.hunks, patch_plus=section.plus, patch_minus=section.minus))
    return result


def path_bytes(entry: dict, key: str) -> bytes | None:
    if entry.get(key + "Bytes") is not None:
        return base64.b64decode(entry[key + "Bytes"])
    value = entry.get(key)
    return None if value is None else value.encode("utf-8")


def gatehouse_answer(binary: str, repo: str, base: str, head: str,
                     extra: list[str]) -> list[FileAnswer]:
    proc = run([binary, "diff", "-C", repo, "--base", base, "--head", head, "--range", "two-dot",
                "--format", "json", *extra], check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"gatehouse diff --base {base} --head {head} exited {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace')[:500]}")
    document = json.loads(proc.stdout)
    result = []
    for f in document["files"]:
        result.append(FileAnswer(
            status=STATUS_LETTERS.get(f["status"], "?" + f["status"]),
            path=path_bytes(f, "path"), old_path=path_bytes(f, "oldPath"),
            binary=bool(f["binary"]), added=[(a, b) for a, b in f.get("added", [])],
            added_count=f.get("addedCount", 0), deleted_count=f.get("deletedCount", 0),
            similarity=f.get("similarity")))
    return result


def patch_counts(g: FileAnswer) -> tuple[int, int]:
    return (g.patch_plus, g.patch_minus)


def git_self_inconsistent(g: FileAnswer) -> bool:
    """git's -U0 patch and its --numstat can count different lines for the same file: with zero
    context (and no function context) xdi_diff() first trims the files' common tail in 1 KiB
    blocks (trim_common_tail in xdiff-interface.c), which can change where Myers, patience or
    histogram split the change; --numstat runs with diff.context (3) and does not trim."""
    return not g.binary and g.status != "T" and (g.added_count, g.deleted_count) != patch_counts(g)


def differences(g: FileAnswer | None, h: FileAnswer | None) -> list[str]:
    if g is None:
        return ["only-gatehouse"]
    if h is None:
        return ["only-git"]
    kinds = []
    if g.status != h.status:
        kinds.append("status")
    if g.old_path != h.old_path:
        kinds.append("oldPath")
    if g.binary != h.binary:
        kinds.append("binary")
    if g.added != h.added:
        kinds.append("added")
    if g.added_count != h.added_count or g.deleted_count != h.deleted_count:
        kinds.append("counts")
        if git_self_inconsistent(g) and (h.added_count, h.deleted_count) == patch_counts(g):
            # git's own outputs disagree (see git_self_inconsistent) and Gatehouse took -U0's side
            kinds.append("counts=U0-not-numstat")
    if g.status in ("R", "C") and g.similarity != h.similarity:
        kinds.append("similarity")
    return kinds


# --------------------------------------------------------------------------------------------
# Jobs

@dataclass
class Job:
    label: str       # "commit" or "range"
    base: str
    head: str


@dataclass
class Mismatch:
    job: Job
    kinds: list[str]
    git: FileAnswer | None
    gatehouse: FileAnswer | None


@dataclass
class JobResult:
    job: Job
    compared: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    git_inconsistent: int = 0
    error: str | None = None
    seconds: float = 0.0


def run_job(job: Job, repo: str, binary: str, setting: Setting, mode: str) -> JobResult:
    started = time.monotonic()
    result = JobResult(job)
    try:
        expected = git_answer(repo, job.base, job.head, git_setting_args(setting, mode))
        actual = gatehouse_answer(binary, repo, job.base, job.head,
                                  gatehouse_setting_args(setting, mode))
    except (RuntimeError, json.JSONDecodeError, KeyError) as error:
        result.error = str(error)
        result.seconds = time.monotonic() - started
        return result
    by_path = {f.path: f for f in actual}
    seen = set()
    for g in expected:
        h = by_path.get(g.path)
        seen.add(g.path)
        result.compared += 1
        result.git_inconsistent += git_self_inconsistent(g)
        kinds = differences(g, h)
        if kinds:
            result.mismatches.append(Mismatch(job, kinds, g, h))
    for h in actual:
        if h.path not in seen:
            result.mismatches.append(Mismatch(job, ["only-gatehouse"], None, h))
    result.seconds = time.monotonic() - started
    return result


def select_jobs(repo: str, commits: int, ranges: int, seed: int) -> list[Job]:
    jobs = []
    if commits > 0:
        out = git(repo, "rev-list", "--first-parent", "--no-merges", "--parents",
                  "-n", str(commits), "HEAD").decode().split("\n")
        for line in out:
            ids = line.split()
            if len(ids) >= 2:
                jobs.append(Job("commit", ids[1], ids[0]))
    if ranges > 0:
        first_parent = git(repo, "rev-list", "--first-parent", "HEAD").decode().split()
        rng = random.Random(seed)
        for _ in range(ranges):
            span = min(rng.randint(50, 500), len(first_parent) - 1)
            if span < 1:
                break
            start = rng.randint(0, len(first_parent) - 1 - span)
            jobs.append(Job(f"range{span}", first_parent[start + span], first_parent[start]))
    return jobs


# --------------------------------------------------------------------------------------------
# Cases and shrinking

class Scratch:
    """A scratch repository holding one file at two commits, to replay a blob pair alone."""

    def __init__(self, binary: str, setting: Setting, mode: str):
        self.dir = tempfile.mkdtemp(prefix="replay-diff-")
        self.binary, self.setting, self.mode = binary, setting, mode
        run(["git", "init", "-q", self.dir])
        if mode == "flags":
            write_setting_to_config(self.dir, decoy_for(setting))
        else:
            write_setting_to_config(self.dir, setting)
        self.tests = 0

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def answers(self, name: bytes, old: bytes, new: bytes) -> tuple[FileAnswer | None, FileAnswer | None]:
        self.tests += 1
        stream = bytearray()
        for ref, content, parent in ((b"refs/heads/old", old, False), (b"refs/heads/new", new, True)):
            stream += b"commit " + ref + b"\n"
            stream += b"mark :" + (b"2" if parent else b"1") + b"\n"
            stream += b"committer Replay <replay@example.invalid> 0 +0000\ndata 0\n"
            if parent:
                stream += b"from :1\n"
            stream += b"M 100644 inline " + name + b"\n"
            stream += b"data " + str(len(content)).encode() + b"\n" + content + b"\n"
        run(["git", "-C", self.dir, "fast-import", "--quiet", "--force"], input=bytes(stream))
        extra = git_setting_args(self.setting, self.mode)
        expected = git_answer(self.dir, "refs/heads/old", "refs/heads/new", extra)
        actual = gatehouse_answer(self.binary, self.dir, "refs/heads/old", "refs/heads/new",
                                  gatehouse_setting_args(self.setting, self.mode))
        return (expected[0] if expected else None), (actual[0] if actual else None)

    def line_difference(self, name: bytes, old: bytes, new: bytes) -> bool:
        if old == new:
            return False
        try:
            g, h = self.answers(name, old, new)
        except RuntimeError:
            return False
        if g is None or h is None:
            return g is not h
        return any(k in ("added", "counts", "binary") for k in differences(g, h))


def split_lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def units_from_hunks(old: list[bytes], new: list[bytes],
                     hunks: list[tuple[int, int, int, int]]) -> list[tuple[list[bytes], list[bytes]]]:
    """The file pair as git aligned it: a common line is one unit on both sides; a hunk's lines
    are one-sided units, so cutting any unit leaves a valid (smaller) pair."""
    units: list[tuple[list[bytes], list[bytes]]] = []
    o = n = 0
    for a, b, c, d in hunks:
        os_ = a if b == 0 else a - 1
        ns = c if d == 0 else c - 1
        while o < os_ and n < ns:
            units.append(([old[o]], [new[n]]))
            o += 1
            n += 1
        units.extend(([line], []) for line in old[o:os_ + b])
        units.extend(([], [line]) for line in new[n:ns + d])
        o, n = os_ + b, ns + d
    while o < len(old) and n < len(new):
        units.append(([old[o]], [new[n]]))
        o += 1
        n += 1
    units.extend(([line], []) for line in old[o:])
    units.extend(([], [line]) for line in new[n:])
    return units


def join_units(units) -> tuple[bytes, bytes]:
    return (b"".join(l for u in units for l in u[0]), b"".join(l for u in units for l in u[1]))


def shrink(scratch: Scratch, name: bytes, old: bytes, new: bytes,
           hunks: list[tuple[int, int, int, int]], budget: int) -> tuple[bytes, bytes] | None:
    """Cut chunks of aligned units (ddmin's complement step) while the line difference persists."""
    if not scratch.line_difference(name, old, new):
        return None
    units = units_from_hunks(split_lines(old), split_lines(new), hunks)
    if join_units(units) != (old, new):      # the patch did not describe these blobs exactly
        units = [([l], []) for l in split_lines(old)] + [([], [l]) for l in split_lines(new)]
    granularity = 2
    start_tests = scratch.tests
    while len(units) >= 2 and scratch.tests - start_tests < budget:
        chunk = -(-len(units) // granularity)
        reduced = False
        for i in range(0, len(units), chunk):
            if scratch.tests - start_tests >= budget:
                break
            candidate = units[:i] + units[i + chunk:]
            if scratch.line_difference(name, *join_units(candidate)):
                units = candidate
                granularity = max(granularity - 1, 2)
                reduced = True
                break
        if not reduced:
            if granularity >= len(units):
                break
            granularity = min(len(units), granularity * 2)
    return join_units(units)


def safe_name(path: bytes) -> str:
    text = path.decode("utf-8", errors="replace")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[-80:].strip("_") or "file"


def case_key(setting: Setting, mode: str, m: Mismatch) -> tuple:
    g = m.git
    return (mode, setting.name, g.old_blob if g else None, g.new_blob if g else None,
            (g or m.gatehouse).path, tuple(m.kinds))


def blob_sizes(repo: str, blobs: set[str]) -> dict[str, int]:
    blobs = sorted(b for b in blobs if b and b != "0" * 40)
    if not blobs:
        return {}
    out = run(["git", "-C", repo, "cat-file", "--batch-check=%(objectname) %(objectsize)"],
              input=("\n".join(blobs) + "\n").encode(), check=False).stdout.decode()
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def write_cases(cases_dir: str, repo: str, binary: str, setting: Setting, mode: str,
                mismatches: list[Mismatch], shrink_limit: int, budget: int, jobs: int) -> tuple[int, int]:
    """One case per distinct (blob pair, path, kinds); the smallest line-level ones are shrunk."""
    unique: dict[tuple, Mismatch] = {}
    for m in mismatches:
        unique.setdefault(case_key(setting, mode, m), m)
    sizes = blob_sizes(repo, {b for m in unique.values() if m.git for b in (m.git.old_blob, m.git.new_blob)})

    def size(m: Mismatch) -> int:
        return sum(sizes.get(b or "", 0) for b in ((m.git.old_blob, m.git.new_blob) if m.git else ()))

    ordered = sorted(unique.items(), key=lambda item: size(item[1]))
    shrinkable = [k for k, m in ordered if is_line_level(m)][:shrink_limit]
    with futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda item: write_case(cases_dir, repo, binary, setting, mode, item[1],
                                              item[0] in shrinkable, budget), ordered))
    return len(ordered), len(shrinkable)


def is_line_level(m: Mismatch) -> bool:
    return m.git is not None and m.gatehouse is not None and not m.git.binary and \
        any(k in ("added", "counts") for k in m.kinds)


SHRUNK: dict[tuple, list[tuple[bytes, bytes]]] = {}   # (old blob, new blob) -> shrunk pairs


def write_case(cases_dir: str, repo: str, binary: str, setting: Setting, mode: str,
               m: Mismatch, do_shrink: bool, budget: int) -> str:
    g = m.git
    key = case_key(setting, mode, m)
    path = (g or m.gatehouse).path
    ident = hashlib.sha1(repr(key).encode()).hexdigest()[:8]
    case_id = f"{safe_name(path)}-{ident}"
    folder = os.path.join(cases_dir, f"{mode}-{setting.name}", case_id)
    os.makedirs(folder, exist_ok=True)
    zero = "0" * 40
    old = new = b""
    if g is not None:
        if g.old_blob and g.old_blob != zero and not g.old_blob.startswith("0" * 40):
            old = run(["git", "-C", repo, "cat-file", "blob", g.old_blob], check=False).stdout
        if g.new_blob and g.new_blob != zero:
            new = run(["git", "-C", repo, "cat-file", "blob", g.new_blob], check=False).stdout
        with open(os.path.join(folder, "git-U0.patch"), "wb") as fh:
            fh.write(g.patch)
    with open(os.path.join(folder, "old"), "wb") as fh:
        fh.write(old)
    with open(os.path.join(folder, "new"), "wb") as fh:
        fh.write(new)
    case = {"repo": os.path.abspath(repo), "mode": mode, "setting": setting.describe(),
            "base": m.job.base, "head": m.job.head, "kind": m.job.label,
            "path": path.decode(errors="replace"), "differences": m.kinds,
            "oldBlob": g.old_blob if g else None, "newBlob": g.new_blob if g else None,
            "git": g.short() if g else None,
            "gitPatchCounts": list(patch_counts(g)) if g else None,
            "gatehouse": m.gatehouse.short() if m.gatehouse else None,
            "oldLines": len(split_lines(old)), "newLines": len(split_lines(new))}
    line_level = is_line_level(m)
    if line_level and do_shrink:
        scratch = Scratch(binary, setting, mode)
        try:
            name = os.path.basename(g.path) or b"file"
            # A pair shrunk under another setting often still shows this setting's difference.
            small = next((pair for pair in SHRUNK.get((g.old_blob, g.new_blob), [])
                          if scratch.line_difference(name, *pair)), None)
            if small is None:
                small = shrink(scratch, name, old, new, g.hunks, budget)
                if small is not None:
                    SHRUNK.setdefault((g.old_blob, g.new_blob), []).append(small)
            if small is None:
                case["shrunk"] = "the difference does not reproduce with the two blobs alone"
            else:
                sg, sh = scratch.answers(name, *small)
                os.makedirs(os.path.join(folder, "min"), exist_ok=True)
                for fname, content in (("old", small[0]), ("new", small[1]),
                                       ("git-U0.patch", sg.patch if sg else b"")):
                    with open(os.path.join(folder, "min", fname), "wb") as fh:
                        fh.write(content)
                mini = {"setting": setting.describe(), "mode": mode,
                        "git": sg.short() if sg else None, "gatehouse": sh.short() if sh else None,
                        "oldLines": len(split_lines(small[0])), "newLines": len(split_lines(small[1])),
                        "tests": scratch.tests}
                with open(os.path.join(folder, "min", "case.json"), "w") as fh:
                    json.dump(mini, fh, indent=2)
                case["shrunk"] = {"oldLines": mini["oldLines"], "newLines": mini["newLines"],
                                  "tests": scratch.tests}
        except RuntimeError as error:
            case["shrunk"] = f"failed: {error}"
        finally:
            scratch.close()
    elif line_level:
        case["shrunk"] = "skipped (--shrink-limit reached)"
    with open(os.path.join(folder, "case.json"), "w") as fh:
        json.dump(case, fh, indent=2)
    return folder


# --------------------------------------------------------------------------------------------
# Reporting

def ranges_text(ranges: list[tuple[int, int]], limit: int = 6) -> str:
    items = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges]
    return "[" + ",".join(items[:limit]) + (",…" if len(items) > limit else "") + "]"


def describe_mismatch(m: Mismatch) -> str:
    g, h = m.git, m.gatehouse
    path = (g or h).path.decode(errors="replace")
    where = f"{m.job.base[:10]}..{m.job.head[:10]} ({m.job.label})"
    if g is None or h is None:
        return f"{path} {where}: {m.kinds[0]}"
    parts = []
    if "status" in m.kinds or "similarity" in m.kinds:
        parts.append(f"status git {g.status}{g.similarity or ''} gatehouse {h.status}{h.similarity or ''}")
    if "oldPath" in m.kinds:
        parts.append(f"oldPath git {g.old_path!r} gatehouse {h.old_path!r}")
    if "binary" in m.kinds:
        parts.append(f"binary git {g.binary} gatehouse {h.binary}")
    if "counts" in m.kinds:
        parts.append(f"+/- git {g.added_count}/{g.deleted_count} gatehouse {h.added_count}/{h.deleted_count}")
    if "added" in m.kinds:
        lines_g = {x for a, b in g.added for x in range(a, b + 1)}
        lines_h = {x for a, b in h.added for x in range(a, b + 1)}
        first = min(lines_g ^ lines_h) if lines_g != lines_h else \
            next(a for a, b in zip(g.added + [(0, 0)], h.added + [(0, 0)]) if a != b)[0]
        # git's hunks and Gatehouse's ranges around the first line they disagree on
        near_g = [k for k in g.hunks if k[3] > 0 and k[2] + k[3] - 1 >= first - 3 and k[2] <= first + 3] \
            or [k for k in g.hunks if abs(k[2] - first) <= 3]
        near_h = [r for r in h.added if r[1] >= first - 3 and r[0] <= first + 3]
        headers = " ".join(f"@@ -{a},{b} +{c},{d} @@" for a, b, c, d in near_g[:2]) or "(none)"
        parts.append(f"at new line {first}: git {headers} vs gatehouse added "
                     f"{ranges_text(near_h, 3)}")
    return f"{path} {where}: " + "; ".join(parts)


# --------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--gatehouse", required=True, help="the gatehouse binary")
    parser.add_argument("--repo", required=True, help="a clone with a work tree")
    parser.add_argument("--commits", type=int, default=300,
                        help="last N non-merge commits on HEAD's first-parent history (default 300)")
    parser.add_argument("--ranges", type=int, default=5,
                        help="K long ranges of 50-500 first-parent commits (default 5)")
    parser.add_argument("--settings", choices=["all", "default"], default="all")
    parser.add_argument("--mode", choices=["config", "flags", "both"], default="config")
    parser.add_argument("--cases-dir", help="write a reproduction per differing file here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="chooses the long ranges")
    parser.add_argument("--examples", type=int, default=5, help="differences printed per setting")
    parser.add_argument("--shrink-limit", type=int, default=10,
                        help="shrink at most this many cases per setting, smallest files first (default 10)")
    parser.add_argument("--shrink-budget", type=int, default=80,
                        help="at most this many scratch replays per shrunk case (default 80)")
    parser.add_argument("--summary-json", help="write per-setting figures here")
    parser.add_argument("--only", action="append", metavar="BASE..HEAD",
                        help="replay just these diffs (repeatable) instead of --commits/--ranges")
    parser.add_argument("--context", type=int, default=0,
                        help="read git's added lines from the -U<N> patch (default 0: git diff -U0; "
                             "3 reads them from the patch git computes like --numstat)")
    args = parser.parse_args()

    global CONTEXT
    CONTEXT = args.context
    binary = os.path.abspath(args.gatehouse)
    repo = os.path.abspath(args.repo)
    if not os.access(binary, os.X_OK):
        print(f"replay-diff: {binary} is not executable", file=sys.stderr)
        return 2
    if run(["git", "-C", repo, "rev-parse", "--git-dir"], check=False).returncode != 0:
        print(f"replay-diff: {repo} is not a git repository", file=sys.stderr)
        return 2

    modes = ["config", "flags"] if args.mode == "both" else [args.mode]
    if "flags" in modes:
        help_text = run([binary, "diff", "--help"], check=False).stdout.decode(errors="replace")
        if "--diff-algorithm" not in help_text or "--no-indent-heuristic" not in help_text:
            print("replay-diff: this gatehouse has no --diff-algorithm/--[no-]indent-heuristic "
                  "flags (see `gatehouse diff --help`): skipping flags mode", file=sys.stderr)
            modes.remove("flags")
    if not modes:
        return 2

    head = git(repo, "rev-parse", "HEAD").decode().strip()
    files = len(split_z(git(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD")))
    if args.only:
        jobs = []
        for spec in args.only:
            base, _, tip = spec.partition("..")
            resolve = lambda rev: git(repo, "rev-parse", "--verify", rev + "^{commit}").decode().strip()
            jobs.append(Job("only", resolve(base), resolve(tip or "HEAD")))
    else:
        jobs = select_jobs(repo, args.commits, args.ranges, args.seed)
    print(f"repo {repo} HEAD {head} ({files} files); "
          f"{sum(j.label == 'commit' for j in jobs)} commits, "
          f"{sum(j.label != 'commit' for j in jobs)} ranges; gatehouse {binary}", flush=True)

    saved = read_config(repo)

    def stop(signum, frame):
        # Restore the repository's diff settings even when stopped (also under nohup, where
        # SIGINT is ignored): finish quickly, then let the finally clause below run.
        restore_config(repo, saved)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    summary = {"repo": repo, "head": head, "files": files, "gatehouse": binary, "settings": []}
    failed = False
    started_all = time.monotonic()
    try:
        for mode in modes:
            for setting in all_settings(args.settings):
                if mode == "flags" and setting.name == "default":
                    continue   # no flags to pass: the config-mode default covers it
                write_setting_to_config(repo, decoy_for(setting) if mode == "flags" else setting)
                started = time.monotonic()
                with futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                    results = list(pool.map(lambda j: run_job(j, repo, binary, setting, mode), jobs))
                compared = sum(r.compared for r in results)
                inconsistent = sum(r.git_inconsistent for r in results)
                mismatches = [m for r in results for m in r.mismatches]
                errors = [r for r in results if r.error]
                kinds: dict[str, int] = {}
                for m in mismatches:
                    for k in m.kinds:
                        kinds[k] = kinds.get(k, 0) + 1
                seconds = time.monotonic() - started
                print(f"\n[{mode} {setting.name}] {compared} files compared, "
                      f"{len(mismatches)} differ"
                      + (f" ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})" if kinds else "")
                      + (f", {len(errors)} diffs failed" if errors else "")
                      + f", {seconds:.1f}s; git's own -U0 and --numstat disagree on {inconsistent}",
                      flush=True)
                for m in mismatches[:args.examples]:
                    print("  " + describe_mismatch(m))
                for r in errors[:3]:
                    print(f"  error {r.job.base[:10]}..{r.job.head[:10]}: {r.error}")
                cases = 0
                if args.cases_dir and mismatches:
                    shrink_started = time.monotonic()
                    cases, shrunk = write_cases(args.cases_dir, repo, binary, setting, mode,
                                                mismatches, args.shrink_limit, args.shrink_budget,
                                                args.jobs)
                    print(f"  {cases} cases written to "
                          f"{os.path.join(args.cases_dir, f'{mode}-{setting.name}')} "
                          f"({shrunk} shrunk, {time.monotonic() - shrink_started:.0f}s)", flush=True)
                summary["settings"].append({
                    "mode": mode, "setting": setting.name, "compared": compared,
                    "gitU0VsNumstat": inconsistent,
                    "differ": len(mismatches), "kinds": kinds, "errors": len(errors),
                    "cases": cases, "seconds": round(seconds, 1),
                    "examples": [describe_mismatch(m) for m in mismatches[:args.examples]]})
                failed = failed or bool(mismatches) or bool(errors)
    finally:
        restore_config(repo, saved)
    total = time.monotonic() - started_all
    print(f"\n{'setting':<28} {'compared':>9} {'differ':>7} {'errors':>6} {'git-U0-vs-numstat':>18}")
    for s in summary["settings"]:
        print(f"{s['mode'] + ' ' + s['setting']:<28} {s['compared']:>9} {s['differ']:>7} {s['errors']:>6}"
              f" {s['gitU0VsNumstat']:>18}")
    print(f"total {total:.0f}s")
    summary["seconds"] = round(total, 1)
    if args.summary_json:
        with open(args.summary_json, "w") as fh:
            json.dump(summary, fh, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
