#!/usr/bin/env python3
"""The 100,000-path x 3,000-rule ownership case, in the usual order of a large CODEOWNERS
file: the global rule and extension rules first, then thousands of directory and file rules.
Deterministic: the same seed gives the same files."""
import os, random, sys

out = sys.argv[1]
rng = random.Random(3000)
os.makedirs(out, exist_ok=True)
extensions = ["go", "py", "ts", "tsx", "md", "json", "yaml", "proto", "sql", "sh"]
services = [f"svc{n:04d}" for n in range(1200)]
paths = set()
while len(paths) < 100_000:
    service = rng.choice(services)
    area = rng.choice(["src", "src", "src", "test", "docs", "config", "migrations"])
    depth = rng.randint(0, 3)
    folders = [f"m{rng.randint(0, 40)}" for _ in range(depth)]
    name = rng.choice(["main", "util", "handler", "model", "client", "server", "index", "schema", "README"])
    paths.add("/".join(["services", service, area, *folders, f"{name}{rng.randint(0, 9)}.{rng.choice(extensions)}"]))
for extra in ["Makefile", "README.md", "go.mod", "docs/index.md", "tools/build.sh", ".github/workflows/ci.yml"]:
    paths.add(extra)
paths = sorted(paths)

rules = ["# Generated: 3,000 rules in the usual order.", "* @org/everyone"]
rules += [f"*.{ext} @org/{ext}-reviewers" for ext in extensions]
rules += ["Makefile @org/build", "Dockerfile @org/build", "README.md @org/docs", "docs/ @org/docs",
          "**/migrations/ @org/database", "/.github/ @org/ci", "/tools/ @org/build", "go.mod @org/go-reviewers"]
while len(rules) < 3001:
    service = rng.choice(services)
    kind = rng.random()
    if kind < 0.55:
        rules.append(f"/services/{service}/ @org/team-{rng.randint(0, 150)}")
    elif kind < 0.85:
        rules.append(f"/services/{service}/{rng.choice(['src', 'test', 'config'])}/m{rng.randint(0, 40)}/ @dev{rng.randint(0, 900)}")
    elif kind < 0.95:
        rules.append(f"/services/{service}/docs/*.md @org/docs @dev{rng.randint(0, 900)}")
    else:
        rules.append(f"/services/{service}/src/main{rng.randint(0, 9)}.go @dev{rng.randint(0, 900)} dev{rng.randint(0, 900)}@example.com")
with open(os.path.join(out, "CODEOWNERS"), "w") as fh:
    fh.write("\n".join(rules) + "\n")
with open(os.path.join(out, "paths.txt"), "w") as fh:
    fh.write("\n".join(paths) + "\n")
