#!/usr/bin/env bash
# Cold import time of the Python shim against `import boto3` alone, with each locked boto3.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

for name in lambda latest; do
  ensure_venv "$name"
  ".venv-$name/bin/python" ../bench/python-import.py "$@"
done
