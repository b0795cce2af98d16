#!/usr/bin/env bash
# Re-locks a set of Python requirements, every package pinned with its hashes, from their .in files.
# Usage: lock.sh <set>
#   tests  requirements-{lambda,latest}.txt: the shim's pytest environments (boto3 as the Lambda Python
#          runtime ships it, and the newest). Run after changing a .in file (e.g. to move to a newer boto3).
#   tools  requirements-{cdk,cfn-lint}.txt: aws-cdk-lib for the Python example app (test/python-app/run.sh)
#          and cfn-lint (test/cfn-lint/run.sh).
set -euo pipefail
case "${1:-}" in
  tests) names=(lambda latest) ;;
  tools) names=(cdk cfn-lint) ;;
  *) echo "usage: $0 tests|tools (which requirements-*.in files to re-lock)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$(find_python)" -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
for name in "${names[@]}"; do
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-find-links \
    --output-file "requirements-$name.txt" "requirements-$name.in"
done
