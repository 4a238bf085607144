#!/usr/bin/env bash
# make dist: a release archive that installs without a Swift toolchain.
#
#   dist/gatehouse-<version>-linux-<arch>.tar.gz
#     gatehouse-<version>-linux-<arch>/
#       bin/gatehouse                                   release, Swift runtime and Foundation linked in, stripped
#       share/man/man1/gatehouse.1                      from the same help text as --help (ArgumentParser's generate-manual)
#       share/bash-completion/completions/gatehouse     written by gatehouse itself (--generate-completion-script)
#       share/zsh/site-functions/_gatehouse
#       share/fish/vendor_completions.d/gatehouse.fish
#       share/doc/gatehouse/README.md, LICENSE, THIRD_PARTY_NOTICES
#       SHA256SUMS                                      of every file above
#   dist/gatehouse-<version>-linux-<arch>.tar.gz.sha256
#
# Its run-time needs are glibc and Debian's libgit2-1.5, zlib1g and libbrotli1 (and libxml2,
# which Foundation's XML parser links; see README, "Install"). `scripts/dist.sh stage` only
# builds the folder (what `make install` copies from).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
mode=${1:-archive}

# --static-swift-stdlib links the Swift runtime, Foundation and its ICU data into the
# executable, so nothing from /opt/swift is needed where it runs.
$SWIFT build -c release --product gatehouse --static-swift-stdlib >&2
bin=$($SWIFT build -c release --static-swift-stdlib --show-bin-path)/gatehouse

version=$("$bin" --version | sed -n '1s/^gatehouse //p')
[ -n "$version" ] || { echo "dist: cannot read the version from $bin --version" >&2; exit 2; }
arch=$(uname -m)
name="gatehouse-$version-linux-$arch"
stage="dist/$name"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
  "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d" "$stage/share/doc/gatehouse"

install -m 0755 "$bin" "$stage/bin/gatehouse"
strip --strip-all "$stage/bin/gatehouse"

# The stripped binary writes its own completions: they can never disagree with its options.
"$stage/bin/gatehouse" --generate-completion-script bash >"$stage/share/bash-completion/completions/gatehouse"
"$stage/bin/gatehouse" --generate-completion-script zsh >"$stage/share/zsh/site-functions/_gatehouse"
"$stage/bin/gatehouse" --generate-completion-script fish >"$stage/share/fish/vendor_completions.d/gatehouse.fish"

# The man page is generated from the executable's own help (its --experimental-dump-help), by
# the plugin swift-argument-parser ships, so help text is written once.
$SWIFT package generate-manual --authors "The Gatehouse maintainers" >&2
page=$(find .build/plugins/GenerateManual/outputs -name 'gatehouse.1' 2>/dev/null | head -1)
[ -n "$page" ] || { echo "dist: generate-manual wrote no gatehouse.1" >&2; exit 2; }
install -m 0644 "$page" "$stage/share/man/man1/gatehouse.1"

install -m 0644 README.md LICENSE "$stage/share/doc/gatehouse/"
# Binary distributions of the statically linked libraries must carry their notices.
{
  echo "Gatehouse links these into its executable; their licenses follow."
  for notice in \
    "swift-argument-parser:.build/checkouts/swift-argument-parser/LICENSE.txt" \
    "Yams (and libyaml):.build/checkouts/Yams/LICENSE" \
    "The Swift runtime and Foundation (Apache License 2.0 with Runtime Library Exception):/opt/swift/usr/share/swift/LICENSE.txt"; do
    title=${notice%%:*}
    file=${notice#*:}
    [ -f "$file" ] || file=$(find "$(dirname "$file")" -maxdepth 1 -iname 'LICENSE*' 2>/dev/null | head -1)
    echo
    echo "==== $title"
    echo
    if [ -n "$file" ] && [ -f "$file" ]; then cat "$file"; else echo "Apache License 2.0 with Runtime Library Exception: https://swift.org/LICENSE.txt"; fi
  done
} >"$stage/share/doc/gatehouse/THIRD_PARTY_NOTICES"

(cd "$stage" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
[ "$mode" = stage ] && { echo "$stage"; exit 0; }

# Reproducible bytes for the same inputs: sorted names, fixed owner and time.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -C dist -cf - "$name" | gzip -9n >"dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "dist/$name.tar.gz"
