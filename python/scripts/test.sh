#!/usr/bin/env bash
# The Python shim's tests: check that its generated constants are current (type-checking their
# generator, which pins the error layers to the Node shim's), run pytest once per locked boto3 (the
# one the Lambda Python runtime ships, and the newest), and type-check the package with mypy.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh

started=$SECONDS
(cd .. && npx ts-node --project python/tsconfig.json python/scripts/generate-contract.ts --check)
for name in lambda latest; do
  ensure_venv "$name"
  echo "== Python shim: pytest with $(".venv-$name/bin/python" -c 'import sys, boto3, botocore; print(f"Python {sys.version.split()[0]}, boto3 {boto3.__version__}, botocore {botocore.__version__}")')"
  ".venv-$name/bin/python" -m pytest -q "$@"
done
echo "== Python shim: mypy (strict), with the emulator's Python runtime and the example's Python handler"
.venv-latest/bin/python -m mypy src ../emulator/lambda/python ../test/fixtures/hub-app/python_handler
echo "== Python shim: tests took $((SECONDS - started)) s"
