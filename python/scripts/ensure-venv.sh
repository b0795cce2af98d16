#!/usr/bin/env bash
# ensure-venv.sh NAME: creates python/.venv-NAME from requirements-NAME.txt if missing or stale (as
# test.sh does) and prints its interpreter. Safe to call from parallel test workers: one creates
# the virtualenv, the others wait for it. The end-to-end tests use it for the Lambda Python runtime's
# boto3 (NAME=lambda), since jest runs before `test:python` in `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

name="${1:?usage: ensure-venv.sh lambda|latest}"
exec 9>"${TMPDIR:-/tmp}/bedrock-hub-access-$(echo "$PWD" | sha256sum | cut -c1-12)-venv-$name.lock"
flock 9
ensure_venv "$name" >&2
echo "$PWD/.venv-$name/bin/python"
