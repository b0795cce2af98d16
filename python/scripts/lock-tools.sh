#!/usr/bin/env bash
# Re-locks the Python tools of the constructs' checks, every package pinned with its hashes:
# requirements-cdk.txt (aws-cdk-lib for the Python example app, test/python-app/run.sh) and
# requirements-cfn-lint.txt (test/cfn-lint/run.sh), from their .in files.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$(find_python)" -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
for name in cdk cfn-lint; do
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-find-links \
    --output-file "requirements-$name.txt" "requirements-$name.in"
done
