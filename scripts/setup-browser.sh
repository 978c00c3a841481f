#!/usr/bin/env bash
# Install what the HTML view tests (tests/export/test_html.py), `kg view --png` and
# bench/html.py need: Debian's chromium (/usr/bin/chromium, driven by Playwright with
# executable_path, so Playwright never downloads a browser) and a CJK font
# (fonts-wqy-microhei) to draw the Chinese labels.
#
# Idempotent: when both are present it only says so. apt-get update is run only if the
# install fails without it. Uses sudo only when not root. Exits non-zero if it cannot install.
set -euo pipefail

BROWSER=/usr/bin/chromium
FONT_PKG=fonts-wqy-microhei
FONT_FILE=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

say() { echo "setup-browser: $*"; }
die() { echo "setup-browser: error: $*" >&2; exit 1; }

font_present() {
    [ -f "$FONT_FILE" ] && return 0
    command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei'
}

missing=()
if [ -x "$BROWSER" ]; then
    say "chromium present: $BROWSER"
else
    missing+=(chromium)
fi
if font_present; then
    say "font present: $FONT_PKG"
else
    missing+=("$FONT_PKG")
fi
if [ ${#missing[@]} -eq 0 ]; then
    say "nothing to install"
    exit 0
fi

say "missing: ${missing[*]}"
command -v apt-get >/dev/null 2>&1 \
    || die "apt-get not found: install ${missing[*]} with your package manager (Debian/Ubuntu: apt-get install ${missing[*]})"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        die "not root and no sudo: run as root: apt-get install -y --no-install-recommends ${missing[*]}"
    fi
fi

install() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

say "installing: ${missing[*]}"
if ! install; then
    say "install failed; running apt-get update and trying again"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
        || die "apt-get update failed (no network or no permission?)"
    install || die "apt-get install ${missing[*]} failed"
fi

[ -x "$BROWSER" ] || die "chromium installed but $BROWSER is missing"
font_present || die "$FONT_PKG installed but $FONT_FILE is missing"
command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true
say "installed: ${missing[*]} ($("$BROWSER" --version 2>/dev/null || echo chromium))"
