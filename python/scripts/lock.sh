#!/usr/bin/env bash
# Re-locks the Python test environments: requirements-*.txt, every package pinned with its hashes,
# from requirements-*.in. Run after changing a .in file (e.g. to move to a newer boto3).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$(find_python)" -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
for name in lambda latest; do
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-find-links \
    --output-file "requirements-$name.txt" "requirements-$name.in"
done
