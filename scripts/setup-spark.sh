#!/usr/bin/env bash
# Install what `kg build --engine spark` and its tests (tests/test_spark.py) need beside the
# Python packages (pyspark and a pandas it supports come with `pip install -e '.[spark]'`):
# a Java runtime, Debian's openjdk-17-jre-headless (Spark 4 runs on Java 17 or 21).
#
# Idempotent: when `java` (17 or newer) is present it only says so. apt-get update is run only
# if the install fails without it. Uses sudo only when not root. Exits non-zero if it cannot.
set -euo pipefail

PKG=openjdk-17-jre-headless

say() { echo "setup-spark: $*"; }
die() { echo "setup-spark: error: $*" >&2; exit 1; }

java_ok() {
    command -v java >/dev/null 2>&1 || return 1
    local v
    v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    [ -n "$v" ] && [ "$v" -ge 17 ]
}

if java_ok; then
    say "java present: $(java -version 2>&1 | head -1)"
    exit 0
fi

command -v apt-get >/dev/null 2>&1 \
    || die "apt-get not found: install a Java 17 runtime with your package manager (Debian/Ubuntu: apt-get install $PKG)"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        die "not root and no sudo: run as root: apt-get install -y --no-install-recommends $PKG"
    fi
fi
install() {
    # the JRE's post-install wants the man page directory, which slim images leave out
    "${SUDO[@]}" mkdir -p /usr/share/man/man1
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PKG"
}
say "installing: $PKG"
if ! install; then
    say "install failed; running apt-get update and trying again"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
        || die "apt-get update failed (no network or no permission?)"
    install || die "apt-get install $PKG failed"
fi
java_ok || die "$PKG installed but no java 17 on PATH"
say "installed: $(java -version 2>&1 | head -1)"
