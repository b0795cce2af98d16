#!/usr/bin/env bash
# cfn-lint (hash-pinned: python/requirements-cfn-lint.txt) over every template the example app and
# the end-to-end suites synthesize, and the integ snapshots (synth.ts writes them into one folder,
# with the accepted findings of suppressions.ts). Passes only when cfn-lint reports nothing at all.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../python/scripts/venv.sh
(cd python && source scripts/venv.sh && ensure_venv cfn-lint)

out=.tmp/cfn-lint
npx ts-node --transpile-only --project test/tsconfig.json test/cfn-lint/synth.ts "$out"
echo "== cfn-lint $(python/.venv-cfn-lint/bin/cfn-lint --version | cut -d' ' -f2)"
status=0
python/.venv-cfn-lint/bin/cfn-lint --format parseable -- "$out"/*.template.json || status=$?
if [ "$status" -ne 0 ]; then
  echo "cfn-lint: findings above (exit $status: 2 = errors, 4 = warnings, 8 = informational, added up)" >&2
  exit "$status"
fi
echo "cfn-lint: $(ls "$out"/*.template.json | wc -l) templates, 0 errors, 0 unsuppressed warnings"
