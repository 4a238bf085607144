#!/usr/bin/env bash
# The release archive on a clean Debian 12: a minimal root file system (debootstrap) with only
# the run-time packages and git, no Swift and no -dev package, where the archive's gatehouse
# runs --version, init, check with a real coverage report, and the pre-push hook through a real
# git push. Needs root (debootstrap, mount, chroot) and Debian's mirror.
#
#   scripts/dist-smoke.sh dist/gatehouse-<version>-linux-<arch>.tar.gz
#
# GATEHOUSE_CHROOT (default .build/dist-chroot) keeps the root file system between runs.
set -euo pipefail
archive=$(realpath "${1:?usage: scripts/dist-smoke.sh ARCHIVE}")
cd "$(dirname "$0")/.."
root=$(realpath -m "${GATEHOUSE_CHROOT:-.build/dist-chroot}")
packages="git,libgit2-1.5,zlib1g,libbrotli1,libxml2"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$root/usr/bin/git" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >&2
fi
cleanup() {
  umount "$root/dev" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
}
trap cleanup EXIT
# A real system has /proc (the Swift runtime reads its arguments there) and /dev (git's /dev/null).
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"

in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 /bin/sh -ec "$1"; }

# Nothing from a Swift toolchain and no -dev package may be in the root.
if in_root 'dpkg-query -W -f "\${Package}\n" | grep -E -- "-dev$|swift"'; then
  echo "dist-smoke: the root has a -dev or Swift package" >&2
  exit 1
fi

rm -rf "$root/opt/gatehouse" "$root/work"
mkdir -p "$root/opt/gatehouse" "$root/work"
tar -xzf "$archive" -C "$root/opt/gatehouse" --strip-components=1
(cd "$root/opt/gatehouse" && sha256sum --quiet -c SHA256SUMS)
ln -sf /opt/gatehouse/bin/gatehouse "$root/usr/local/bin/gatehouse"

echo "== ldd" >&2
in_root 'ldd /usr/local/bin/gatehouse' >&2
if in_root 'ldd /usr/local/bin/gatehouse' | grep -E -i 'swift|not found'; then
  echo "dist-smoke: the executable needs a library the root does not have" >&2
  exit 1
fi

echo "== --version" >&2
in_root 'gatehouse --version'

# A small project whose tests' Cobertura report (coverage.py's shape, written here: the root has
# no Python) leaves one added line not run, so the pushed change must be refused.
mkdir -p "$root/work/app/src"
printf 'def add(a, b):\n    return a + b\n' >"$root/work/app/src/calc.py"
echo "== init, commit" >&2
in_root '
  cd /work && git init -q --bare remote.git
  cd app && git init -q -b main && git config user.email dev@example.com && git config user.name Dev
  git remote add origin /work/remote.git
  gatehouse init >/dev/null
  sed -i "s|\"coverage/lcov.info\"|\"coverage.xml\"|" rules/gatehouse.yml
  echo coverage.xml >>.gitignore
  git add -A && git commit -q -m "Adopt Gatehouse"
  git push -q origin main
  git checkout -q -b feature
'
printf '\n\ndef sub(a, b):\n    return a - b\n' >>"$root/work/app/src/calc.py"
in_root 'cd /work/app && git add src/calc.py && git commit -q -m "Add sub"'
cat >"$root/work/app/coverage.xml" <<'XML'
<?xml version="1.0" ?>
<coverage version="7.6.1" timestamp="1733200000000" lines-valid="4" lines-covered="3" line-rate="0.75" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
	<sources>
		<source>/work/app</source>
	</sources>
	<packages>
		<package name="src" line-rate="0.75" branch-rate="0" complexity="0">
			<classes>
				<class name="calc.py" filename="src/calc.py" complexity="0" line-rate="0.75" branch-rate="0">
					<methods/>
					<lines>
						<line number="1" hits="1"/>
						<line number="2" hits="1"/>
						<line number="5" hits="1"/>
						<line number="6" hits="0"/>
					</lines>
				</class>
			</classes>
		</package>
	</packages>
</coverage>
XML
echo "== check" >&2
set +e
in_root 'cd /work/app && gatehouse check --base main'
status=$?
set -e
echo "check exit $status"
[ "$status" = 1 ] || { echo "dist-smoke: check exited $status, expected 1 (a line not covered)" >&2; exit 1; }

echo "== hook install, git push" >&2
in_root 'cd /work/app && gatehouse hook install' >&2
set +e
in_root 'cd /work/app && git push origin feature 2>&1'
push=$?
set -e
echo "push exit $push"
refs=$(in_root 'git -C /work/remote.git for-each-ref --format="%(refname)"')
echo "remote refs: $refs"
if [ "$push" = 0 ] || [ "$refs" != "refs/heads/main" ]; then
  echo "dist-smoke: the push was not refused" >&2
  exit 1
fi
echo "dist-smoke: passed"
