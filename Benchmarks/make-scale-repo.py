#!/usr/bin/env python3
"""The Chromium-scale case of issue 11: a generated monorepo, packed like a clone.

    Benchmarks/make-scale-repo.py OUT [--files 400000] [--rules 10000] [--changed 20000]

OUT (a git repository with a work tree) gets:
- about --files tracked files in folders up to 10 deep, with Chromium-like names and extensions,
  20 to 300 lines each for the most part;
- rules/CODEOWNERS (GitHub dialect, --rules rules: the global rule, extension globs, folder
  rules, deep `**` globs and file rules; owners @org/team, @user and a few e-mail addresses),
  rules/teams.yml, rules/gatehouse.yml (the changed-lines coverage gate on coverage/lcov.info,
  which .gitignore ignores) and rules/checklists/*.md;
- history: one commit with everything, then 100 small commits by 36 authors on `main`;
- two heads on `main`: `big` (one commit changing --changed files: about 1 M added lines,
  500 renames with edits, 600 additions, 400 deletions) and `small` (one commit, one file,
  a few lines). `small` is checked out, so the index and work tree are real.
Beside it, OUT-big.lcov and OUT-small.lcov: LCOV for every file each head adds or changes,
`SF:` paths relative to the repository, a `DA:` line for every line, hit and missed.

Built with `git fast-import`, then `git repack -a -d -f` and `git gc`. Deterministic: the same
arguments give the same commits. Progress goes to stderr."""
import argparse, os, random, subprocess, sys, time

import benchgit

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("out")
parser.add_argument("--files", type=int, default=400_000)
parser.add_argument("--rules", type=int, default=10_000)
parser.add_argument("--changed", type=int, default=20_000)
args = parser.parse_args()

final = os.path.abspath(args.out)
root = final + ".partial"  # renamed when complete, so an interrupted run is never reused
subprocess.run(["rm", "-rf", root], check=True)
rng = random.Random(20261203)
started = time.monotonic()


def progress(message):
    print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)


def git(*argv):
    benchgit.git(root, *argv)


# ---------------------------------------------------------------------------------------------
# The tree: folders first (a random recursive tree, depth at most 10), then files in them.

TOP = ["android_webview", "ash", "base", "build", "cc", "chrome", "chromecast", "chromeos", "components",
       "content", "crypto", "device", "docs", "extensions", "gin", "google_apis", "gpu", "headless", "ios",
       "ipc", "media", "mojo", "net", "pdf", "printing", "remoting", "sandbox", "services", "skia", "sql",
       "storage", "testing", "third_party", "tools", "ui", "url", "v8", "weblayer"]
WORDS = ("accessibility allocator android animation app apps assistant audio autofill background base bindings "
         "blink bluetooth bookmarks browser cache capture cast cert chromium client color common compositor "
         "containers content cookies core cpp crash data debug delegate devtools display dns download drive "
         "engine events extensions feature files fonts frame frame_host geometry gfx gpu history host http hid "
         "impl indexed_db input internal ios java javatests json layers layout lens linux login mac media "
         "media_router memory messaging metrics mojom navigation network notifications numerics omnibox ozone "
         "page password_manager payments pdf permissions platform policy prefs prerender printing profiler "
         "profiles proxy public quic renderer renderer_host resources safe_browsing sandbox search security "
         "serial service_worker services settings sharing shelf signin socket src ssl startup storage strings "
         "sync tabs task test test_support testing themes threading time toolbar tracing translate ui usb utils "
         "video views vulkan wayland web_package webui win wm x11 zoom").split()
FILE_WORDS = ("manager impl service controller observer delegate factory helper util utils handler client host "
              "provider model view bridge proxy context state store cache registry tracker monitor loader "
              "writer reader parser builder request response session policy config settings metrics event "
              "task runner queue worker thread buffer stream channel message router dispatcher backend "
              "frontend agent driver watcher scheduler").split()

n_dirs = max(len(TOP) * 2, args.files // 9)
dirs = list(TOP)            # folder paths; index = id
depth = [1] * len(TOP)
children = {d: set() for d in dirs}
while len(dirs) < n_dirs:
    parent = rng.randrange(len(dirs))
    d = depth[parent]
    if d >= 10 or rng.random() > 0.9 ** (d - 1):  # deeper folders have fewer sub-folders
        continue
    base = dirs[parent]
    name = rng.choice(WORDS)
    if name in children[base]:
        name = f"{name}_{rng.choice(WORDS)}"
        if name in children[base]:
            continue
    children[base].add(name)
    path = f"{base}/{name}"
    dirs.append(path)
    depth.append(d + 1)
    children[path] = set()


def language(folder):
    parts = folder.split("/")
    if "java" in parts or "javatests" in parts or (parts[0] == "android_webview" and len(parts) > 2):
        return "java"
    if parts[0] == "docs":
        return "md"
    if parts[0] in ("tools", "build", "testing") or "scripts" in parts:
        return "py"
    if "webui" in parts or "resources" in parts:
        return "ts"
    if parts[0] == "ios" or "mac" in parts:
        return "objc"
    return "cc"


EXTRA = {"cc": [".mojom", ".md", ".gn", ".proto", ".json", ".py", ".txt"], "java": [".xml", ".md", ".gn"],
         "py": [".json", ".md", ".sh", ".gn", ".txt"], "ts": [".html", ".css", ".js", ".json", ".gn"],
         "md": [".png.sha1", ".md", ".txt"], "objc": [".h", ".plist", ".gn"]}


def file_names(folder, count):
    """About `count` Chromium-style file names for one folder."""
    lang = language(folder)
    names = set()
    tries = 0
    while len(names) < count and tries < count * 4:
        tries += 1
        stem = "_".join(rng.choice(FILE_WORDS if k else WORDS) for k in range(rng.randint(1, 3)))
        if rng.random() < 0.12:
            names.add(rng.choice(["BUILD.gn", "README.md", "DEPS", "DIR_METADATA"]))
            continue
        if rng.random() < 0.15:
            names.add(stem + rng.choice(EXTRA[lang]))
            continue
        if lang == "cc":
            names.update([stem + ".cc", stem + ".h"] + ([stem + "_unittest.cc"] if rng.random() < 0.4 else []))
        elif lang == "java":
            camel = "".join(w.capitalize() for w in stem.split("_"))
            names.update([camel + ".java"] + ([camel + "Test.java"] if rng.random() < 0.3 else []))
        elif lang == "py":
            names.update([stem + ".py"] + (["test_" + stem + ".py"] if rng.random() < 0.3 else []))
        elif lang == "ts":
            names.update([stem + ".ts"] + ([stem + "_test.ts"] if rng.random() < 0.3 else []))
        elif lang == "md":
            names.add(stem + ".md")
        else:
            names.update([stem + ".mm", stem + ".h"])
    return sorted(names)


# Files per folder: a skewed spread, mean files/dirs.
weights = [rng.lognormvariate(0, 1.0) for _ in dirs]
total_weight = sum(weights)
files = []
for i, folder in enumerate(dirs):
    want = max(1, round(args.files * weights[i] / total_weight))
    files.extend(f"{folder}/{name}" for name in file_names(folder, want))
files = sorted(set(files))
rng.shuffle(files)
files = sorted(files[:args.files])
progress(f"tree: {len(files):,} files in {len(dirs):,} folders, deepest {max(depth)}")

# ---------------------------------------------------------------------------------------------
# Contents: lines drawn from a pool of code-like lines, first line unique to the file.

# Identifiers from a large vocabulary (about 30,000), so that two files rarely share a run of
# 16 bytes: git's delta search then pairs versions of a file, not unrelated files, as in a real
# pack (a small shared vocabulary gave every blob a 50-deep delta chain of unrelated files).
snake = [f"{w}_{f}" for w in WORDS for f in FILE_WORDS]
camel = ["".join(p.capitalize() for p in name.split("_")) for name in snake]
idents = snake + camel + [name + "_" for name in snake] + ["k" + name for name in camel]
TYPES = ["auto", "int", "bool", "size_t", "std::string", "const std::string&", "base::TimeDelta", "GURL"]


def code_line(i):
    a, b, c = rng.choice(idents), rng.choice(idents), rng.choice(idents)
    indent = "  " * rng.choice((0, 1, 1, 2, 2, 3))
    kind = rng.randrange(8)
    if kind == 0:
        return f"{indent}{rng.choice(TYPES)} {a} = {b}({c}, {rng.randrange(10000)});\n"
    if kind == 1:
        return f"{indent}if (!{a}.{rng.choice(camel)}()) return {b};\n"
    if kind == 2:
        return f"{indent}{rng.choice(camel)}::{rng.choice(camel)}({rng.choice(TYPES)} {a}) {{\n"
    if kind == 3:
        return f"{indent}{a}->{rng.choice(camel)}(std::move({b}), {c});\n"
    if kind == 4:
        return f"{indent}// {a} {b} {c} {rng.randrange(100000)}\n"
    if kind == 5:
        return f'{indent}#include "{a}/{b}/{c}.h"\n'
    if kind == 6:
        return f"{indent}DCHECK_EQ({a}, {b}) << {c};\n"
    return f"{indent}}}  // {a}\n"


pool = [code_line(i) for i in range(200_000)]


def body_lines(n):
    return rng.choices(pool, k=n)


def line_count():
    if rng.random() < 0.01:
        return rng.randint(300, 1500)
    return min(300, 20 + int(rng.expovariate(1 / 70)))


def content_of(path):
    return [f"// Copyright 2026 The Scale Authors. {path}\n"] + body_lines(line_count() - 1)


# ---------------------------------------------------------------------------------------------
# Who: 36 commit authors among 1,500 users, 400 teams.

FIRST = ("alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert sybil trent "
         "victor walter xena yusuf zara amir bea chen dmitri elena farah goran hana ines jonas kemal lena "
         "marta nils").split()
users = [f"dev{i:04d}" for i in range(1500)]
authors = [(name.capitalize(), f"{name}@scale.example", f"dev{i * 41 % 1500:04d}") for i, name in enumerate(FIRST)]
teams = [f"{rng.choice(WORDS)}-{rng.choice(['team', 'owners', 'reviewers', 'eng', 'core'])}-{i}" for i in range(400)]


def owners():
    out = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        r = rng.random()
        if r < 0.55:
            out.append("@org/" + rng.choice(teams))
        elif r < 0.98:
            out.append("@" + rng.choice(users))
        else:
            out.append(f"{rng.choice(users)}@scale.example")
    return " ".join(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Rules.

def codeowners():
    exts = sorted({os.path.splitext(f)[1] for f in rng.sample(files, min(5000, len(files))) if os.path.splitext(f)[1]})
    head = ["# Generated CODEOWNERS (GitHub dialect): global, extension, folder, deep-glob and file rules.",
            "* @org/chromium-eng"]
    head += [f"*{ext} {owners()}" for ext in exts]
    head += ["BUILD.gn @org/build-owners", "DEPS @org/deps-owners @org/build-owners", "*.mojom @org/ipc-security-reviewers",
             "/docs/ @org/docs-team", "/rules/ @org/gatehouse-admins"]
    n_head = sum(1 for line in head if not line.startswith("#"))
    left = args.rules - n_head
    holding = {f[:i] for f in files for i in range(len(f)) if f[i] == "/"}  # folders with files below
    folder_pool = [d for i, d in enumerate(dirs) if 2 <= depth[i] <= 8 and d in holding]
    n_folder = min(int(left * 0.62), len(folder_pool) * 2 // 3)
    n_deep = int(left * 0.10)
    n_file = left - n_folder - n_deep
    body = []
    for folder in sorted(rng.sample(folder_pool, n_folder)):
        body.append(f"/{folder}/ {owners()}")
    for _ in range(n_deep):
        folder = rng.choice(folder_pool)
        parts = folder.split("/")
        cut = rng.randint(1, max(1, len(parts) - 1))
        prefix, rest = "/".join(parts[:cut]), parts[cut:]
        kind = rng.random()
        if kind < 0.4 and rest:
            body.append(f"/{prefix}/**/{rest[-1]}/ {owners()}")
        elif kind < 0.7:
            body.append(f"/{prefix}/**/*{rng.choice(['.java', '.mojom', '_unittest.cc', '.ts', '.py', '.gn'])} {owners()}")
        elif kind < 0.85:
            body.append(f"**/{parts[-1]}/ {owners()}")
        else:
            body.append(f"/{prefix}/**/{rng.choice(['test', 'android', 'public', 'internal'])}/** {owners()}")
    for path in rng.sample(files, n_file):
        body.append(f"/{path} {owners()}")
    # Grouped by path, as large files are kept, so a folder's rule comes before its sub-folders'.
    body.sort(key=lambda line: line.split(" ")[0].lstrip("/").replace("**/", ""))
    out = head[:]
    group = None
    for line in body:
        top = line.lstrip("/").replace("**/", "").split("/")[0]
        if top != group:
            out += ["", f"# {top}"]
            group = top
        out.append(line)
    return "\n".join(out) + "\n"


def teams_yml():
    lines = ["# Generated: teams to members, people to the addresses their commits carry.", "teams:"]
    author_users = [a[2] for a in authors]
    for i, team in enumerate(teams + ["chromium-eng", "build-owners", "deps-owners", "ipc-security-reviewers",
                                      "docs-team", "gatehouse-admins"]):
        members = ["@" + m for m in rng.sample(users, rng.randint(2, 6)) + rng.sample(author_users, rng.randint(1, 2))]
        if i and i % 50 == 0:
            members.append("@org/" + teams[i - 1])
        lines.append(f'  "@org/{team}": [{", ".join(chr(34) + m + chr(34) for m in dict.fromkeys(members))}]')
    lines.append("people:")
    for name, email, user in authors:
        lines.append(f'  "@{user}": ["{email}"]')
    lines.append('unavailable: ["@dev0007", "@dev0100"]')
    return "\n".join(lines) + "\n"


GATEHOUSE_YML = """# Generated for the scale benchmark; every key is documented in docs/CONFIG.md.
base: main
coverage:
  reports: ["coverage/lcov.info"]
  changed_lines: 80
  no_changed_lines: pass
missing_report: warn
"""

CHECKLISTS = {
    "security.md": ("Security", '["**/crypto/", "/net/cert/", "*.mojom", "**/sandbox/"]', "true"),
    "android.md": ("Android", '["*.java", "**/android/"]', "true"),
    "ui.md": ("Browser UI", '["/chrome/browser/ui/", "/ui/views/"]', "false"),
    "build.md": ("Build files", '["BUILD.gn", "*.gni", "DEPS"]', "true"),
    "docs.md": ("Documentation", '["*.md"]', "false"),
}


def checklist(title, paths, required):
    return (f"---\ntitle: {title}\npaths: {paths}\nrequired: {required}\n---\n"
            f"- [ ] The change was reviewed by someone who knows {title.lower()}.\n"
            "- [ ] Tests cover the new behaviour.\n  - [ ] Including the failure paths.\n")


RULE_FILES = {"rules/CODEOWNERS": codeowners(), "rules/teams.yml": teams_yml(),
              "rules/gatehouse.yml": GATEHOUSE_YML, ".gitignore": "/coverage/\n"}
for name, (title, paths, required) in CHECKLISTS.items():
    RULE_FILES[f"rules/checklists/{name}"] = checklist(title, paths, required)
progress(f"rules: {sum(1 for l in RULE_FILES['rules/CODEOWNERS'].splitlines() if l and not l.startswith('#'))} CODEOWNERS rules")

# ---------------------------------------------------------------------------------------------
# What changes, chosen before writing so only those files' contents are kept in memory.

by_folder = {}
for path in files:
    by_folder.setdefault(path.rsplit("/", 1)[0], []).append(path)
folders = sorted(by_folder)

# The big change: whole folders until the count is reached (a large refactor touches areas).
n_renamed, n_added, n_deleted = 500, 600, 400
n_modified = args.changed - n_renamed - n_added - n_deleted
big_pick = []
taken = set()
for folder in rng.sample(folders, len(folders)):
    for path in by_folder[folder]:
        if path not in taken:
            big_pick.append(path)
            taken.add(path)
    if len(big_pick) >= n_modified + n_renamed + n_deleted:
        break
big_pick = big_pick[:n_modified + n_renamed + n_deleted]
rng.shuffle(big_pick)
basename_count = {}
for path in files:
    base = path.rsplit("/", 1)[1]
    basename_count[base] = basename_count.get(base, 0) + 1
# Renamed files keep a basename unique in the tree (git pairs those first), deleted ones too.
unique = [p for p in big_pick if basename_count[p.rsplit("/", 1)[1]] == 1]
renamed = sorted(unique[:n_renamed])
deleted = sorted(unique[n_renamed:n_renamed + n_deleted])
gone = set(renamed) | set(deleted)
modified = sorted(p for p in big_pick if p not in gone)[:n_modified]
added_folders = rng.sample(folders, 60)
added = []
while len(added) < n_added:
    folder = rng.choice(added_folders)
    name = f"{rng.choice(WORDS)}_{rng.choice(FILE_WORDS)}_added_{len(added)}.cc"
    added.append(f"{folder}/{name}")
added.sort()

# The small change: one .cc file in an area the history touches.
cc_files = [p for p in files if p.endswith(".cc") and p not in taken]
small_file = rng.choice(cc_files)
small_folder = small_file.rsplit("/", 1)[0]

# History: 100 commits of 1-5 files, in 15 hot folders (including the small file's, and
# folders of the big change), so expertise has something to find for both heads.
hot = [small_folder] + sorted({p.rsplit("/", 1)[0] for p in rng.sample(modified, 8)}) + rng.sample(folders, 6)
history_files = sorted({p for folder in hot for p in by_folder[folder]} | {small_file})
keep = set(modified) | set(renamed) | set(history_files) | {small_file}
kept = {}

# ---------------------------------------------------------------------------------------------
# fast-import.

os.makedirs(root)
git("init", "-q", "-b", "main")
importer = subprocess.Popen(["git", "fast-import", "--quiet", "--done", "--depth=0"], cwd=root, env=benchgit.ENV,
                            stdin=subprocess.PIPE, bufsize=1 << 20)
out = importer.stdin
T0 = 1788220800  # 2026-09-01; history runs about 50 days, every commit within 90 days of the heads
commit_count = 0


def data(payload):
    if isinstance(payload, str):
        payload = payload.encode()
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def commit(branch, who, when, message, parent=None, mark=None):
    global commit_count
    commit_count += 1
    name, email = who
    out.write(f"commit refs/heads/{branch}\n".encode())
    if mark:
        out.write(f"mark :{mark}\n".encode())
    out.write(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
    data(message)
    if parent:
        out.write(f"from {parent}\n".encode())


def put(path, lines):
    out.write(f"M 100644 inline {path}\n".encode())
    data("".join(lines))


total_lines = 0
commit("main", ("Scale Bot", "bot@scale.example"), T0, "Import the tree\n")
for path, text in sorted(RULE_FILES.items()):
    put(path, [text])
for i, path in enumerate(files):
    lines = content_of(path)
    total_lines += len(lines)
    if path in keep:
        kept[path] = lines
    put(path, lines)
    if (i + 1) % 50_000 == 0:
        progress(f"initial commit: {i + 1:,} files")
progress(f"initial commit: {len(files):,} files, {total_lines:,} lines")

# History.
when = T0
for c in range(100):
    when += rng.randint(6, 18) * 3600
    name, email, _ = rng.choice(authors)
    touched = sorted(set(rng.sample(history_files, rng.randint(1, 5)) + ([small_file] if c % 9 == 4 else [])))
    commit("main", (name, email), when, f"Tweak {touched[0].rsplit('/', 1)[1]} and friends ({c})\n")
    for path in touched:
        lines = kept[path]
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(1, len(lines) + 1)
            lines[at:at] = body_lines(rng.randint(2, 12))
        if len(lines) > 10 and rng.random() < 0.5:
            del lines[rng.randrange(1, len(lines))]
        put(path, lines)
progress("history: 100 commits")

# The big head.
when += 5 * 86400
commit("big", ("Refactor Bot", "refactor@scale.example"), when, f"Large refactor: {args.changed:,} files\n",
       parent="refs/heads/main")
big_lcov = []
added_lines = 0
for path in modified:
    lines = kept.pop(path)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(1, len(lines) + 1)
        n = rng.randint(8, 32)
        lines[at:at] = body_lines(n)
        added_lines += n
    lines[rng.randrange(1, len(lines))] = f"  // edited in the refactor {rng.randrange(10**9)}\n"
    added_lines += 1
    put(path, lines)
    big_lcov.append((path, len(lines)))
for i, path in enumerate(renamed):
    lines = kept.pop(path)
    folder, base = path.rsplit("/", 1)
    new = f"{rng.choice(added_folders)}/moved_{i}/{base}"
    lines[1] = "  // renamed and edited\n"
    lines[len(lines) // 2] = "  // renamed and edited again\n"
    added_lines += 2
    out.write(f"D {path}\n".encode())
    put(new, lines)
    big_lcov.append((new, len(lines)))
for path in deleted:
    out.write(f"D {path}\n".encode())
for path in added:
    lines = [f"// Copyright 2026 The Scale Authors. {path}\n"] + body_lines(rng.randint(60, 240))
    added_lines += len(lines)
    put(path, lines)
    big_lcov.append((path, len(lines)))
progress(f"big: {args.changed:,} files, about {added_lines:,} added lines")

# The small head: three lines added, one edited.
commit("small", ("Alice", "alice@scale.example"), when + 3600, "Fix a small bug\n", parent="refs/heads/main")
lines = kept[small_file]
lines[5:5] = ["  // Guard against a null delegate.\n", "  if (!delegate_) return;\n", "\n"]
lines[20] = "  auto result = delegate_->Run();  // fixed\n"
put(small_file, lines)
small_lcov = [(small_file, len(lines))]
out.write(b"done\n")
out.close()
if importer.wait() != 0:
    sys.exit("fast-import failed")
progress(f"fast-import: {commit_count} commits")


def write_lcov(target, entries):
    with open(target + ".partial", "w") as fh:
        for n, (path, count) in enumerate(entries):
            # Missed: runs of 5 lines, one run in four, offset per file.
            fh.write(f"TN:\nSF:{path}\n")
            fh.write("".join(f"DA:{line},{0 if (line // 5 + n) % 4 == 0 else 1 + line % 3}\n" for line in range(1, count + 1)))
            hit = sum(1 for line in range(1, count + 1) if (line // 5 + n) % 4 != 0)
            fh.write(f"LF:{count}\nLH:{hit}\nend_of_record\n")
    os.rename(target + ".partial", target)


write_lcov(final + "-big.lcov", big_lcov)
write_lcov(final + "-small.lcov", small_lcov)
progress("LCOV written")

# fast-import was told to write no deltas: its own are against whatever blob came before (an
# unrelated file, giving 50-deep chains), and gc reuses deltas and finds no new ones for objects
# stored whole. A full delta search (default window and depth, as a server packs a clone)
# pairs the versions of each file instead; gc then packs refs and writes the commit-graph.
git("repack", "-a", "-d", "-f", "-q")
progress("git repack -a -d -f")
git("gc", "-q")
progress("git gc")
git("symbolic-ref", "HEAD", "refs/heads/small")
git("reset", "-q", "--hard")
progress("checked out small")
subprocess.run(["rm", "-rf", final], check=True)
os.rename(root, final)
progress(f"done: {final}")
