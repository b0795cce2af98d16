#!/usr/bin/env bash
# The constructs from Python: builds the jsii wheel (dist/python), installs it with the pinned
# aws-cdk-lib (python/requirements-cdk.txt, --require-hashes) into a fresh virtualenv, synthesizes
# the example app written in Python (test/fixtures/hub-app/app.py) and compares its templates with
# the TypeScript app's, byte for byte (compare.ts). Prints how long each step took. Needs lib/ (npx projen compile).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../python/scripts/venv.sh
source python/scripts/venv.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/bedrock-hub-access-python-app.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { echo "== Python app: $1"; }
elapsed() { echo "   took $(( $(date +%s) - $1 )) s"; }

t=$(date +%s); step "jsii-pacmak --target python (npx projen package:python)"
rm -rf dist/python
npx projen package:python >"$work/pacmak.log" 2>&1 || { cat "$work/pacmak.log"; exit 1; }
wheel="$(ls dist/python/*.whl)"
echo "   $(basename "$wheel"): $(stat -c %s "$wheel") bytes"; elapsed "$t"

t=$(date +%s); step "a fresh virtualenv with python/requirements-cdk.txt (--require-hashes) and the wheel"
"$(find_python)" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r python/requirements-cdk.txt
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$wheel"
"$work/venv/bin/python" -m pip check
elapsed "$t"

t=$(date +%s); step "synthesize test/fixtures/hub-app/app.py"
# NodejsFunction bundles with the esbuild of this repository (no Docker).
PATH="$PWD/node_modules/.bin:$PATH" "$work/venv/bin/python" test/fixtures/hub-app/app.py "$work/python.out"
elapsed "$t"

t=$(date +%s); step "compare with the TypeScript app"
npx ts-node --transpile-only --project test/tsconfig.json test/python-app/compare.ts "$work/python.out" "$work/ts.out"
elapsed "$t"

t=$(date +%s); step "run the Python workload's handler with its layer, as Lambda would (the Lambda runtime's boto3)"
(cd python && ensure_venv lambda)
python/.venv-lambda/bin/python test/python-app/check_layer.py "$work/python.out" WorkloadPython
elapsed "$t"
