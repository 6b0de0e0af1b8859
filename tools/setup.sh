#!/bin/sh
# setup.sh — installs the Debian packages Prism needs to build, run and test.
#
# `make run` and `make check` call this first. It asks dpkg which packages are
# missing and installs only those with apt-get (through sudo when not root),
# so on a machine that has everything it prints nothing and takes a moment.
# Extra package names on the command line are installed too (`make
# compile_commands.json` asks for bear this way).
# Build infrastructure; no OSTEP chapter.
set -e

PACKAGES="build-essential nasm qemu-system-x86 grub-pc-bin grub-common xorriso mtools \
check pkg-config gdb python3 git clang-format $*"

missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

echo "setup: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "setup: need root or sudo to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split into words
$as_root apt-get install -y -qq --no-install-recommends $missing
