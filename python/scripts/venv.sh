# Shared by test.sh and bench-import.sh: the virtualenvs of the Python shim, one per lock file,
# installed with --require-hashes and re-created when their lock file changes.
# shellcheck shell=bash

# The Python to build virtualenvs with: $PYTHON, else the Lambda runtime's 3.13, else another 3.9+.
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.13*/bin/python3 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  echo "no Python 3.9+ found (set PYTHON)" >&2
  return 1
}

# ensure_venv NAME: python/.venv-NAME with exactly python/requirements-NAME.txt installed.
ensure_venv() {
  local name="$1" venv=".venv-$1" lock="requirements-$1.txt" python stamp
  stamp="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.lock-sha256" 2>/dev/null)" != "$stamp" ]; then
    python="$(find_python)"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$lock"
    echo "$stamp" > "$venv/.lock-sha256"
  fi
}
