#!/usr/bin/env bash
# Makes sure the C libraries Gatehouse links are visible to pkg-config: libgit2 (git), and
# zlib and libbrotli (the size gate's gzip and brotli measures).
# Installs it with apt-get when this machine allows it; otherwise prints the exact
# command to run and stops, so `make` never half-builds against a missing library.
set -euo pipefail

have_libraries() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2 zlib libbrotlienc; }

if have_libraries; then
  exit 0
fi

packages="libgit2-dev zlib1g-dev libbrotli-dev pkg-config"
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    echo "gatehouse: libgit2, zlib or libbrotli is missing. Install them, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y $packages" >&2
    exit 1
  fi
  echo "gatehouse: installing $packages with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq $packages >/dev/null
  if have_libraries; then
    echo "gatehouse: libgit2 $(pkg-config --modversion libgit2), zlib and libbrotli installed" >&2
    exit 0
  fi
  echo "gatehouse: apt-get finished but pkg-config still cannot find libgit2, zlib or libbrotlienc" >&2
  exit 1
fi

echo "gatehouse: libgit2, zlib or libbrotli is missing and this machine has no apt-get. Install them and" >&2
echo "pkg-config with your package manager (e.g. 'brew install libgit2 brotli pkg-config'), then run make again." >&2
exit 1
