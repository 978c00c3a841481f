#!/usr/bin/env bash
# Install kg with its test dependencies into .venv and run the whole test suite.
# This is the README's test command; .ci/run calls it on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,spark]'
bash scripts/setup-browser.sh    # Debian's chromium + a CJK font for the HTML view tests
bash scripts/setup-spark.sh      # a Java runtime for the Spark engine's tests
exec .venv/bin/python -m pytest "$@"
