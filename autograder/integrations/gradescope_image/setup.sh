#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04 by
# default). It installs a Python the pinned requirements accept (3.11 or newer: pandas 3.1,
# NumPy 2.4, Keras 3.15 and Matplotlib 3.11 need it; pyproject.toml's requires-python), then the
# requirements in a virtual environment. Written into the zip by `python -m autograder
# gradescope-zip`; AUTOGRADER_ROOT moves the tree for a trial run (default /autograder).
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"
MINIMUM_PYTHON="3.11"
export DEBIAN_FRONTEND=noninteractive

recent_enough() {
  "$1" -c "import sys; sys.exit(sys.version_info[:2] < tuple(map(int, '$MINIMUM_PYTHON'.split('.'))))" \
    >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && recent_enough "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
  # Ubuntu 22.04 carries Python 3.11 in its universe component; an older image needs deadsnakes.
  apt-get update
  if ! apt-get install -y --no-install-recommends "python$MINIMUM_PYTHON" "python$MINIMUM_PYTHON-venv"; then
    apt-get install -y --no-install-recommends software-properties-common
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update
    apt-get install -y --no-install-recommends "python$MINIMUM_PYTHON" "python$MINIMUM_PYTHON-venv"
  fi
  PYTHON="$(find_python)"
fi
echo "setup.sh: $("$PYTHON" --version) at $PYTHON"

if ! "$PYTHON" -m venv "$VENV"; then
  # Debian and Ubuntu keep venv's pip apart, in pythonX.Y-venv.
  apt-get update
  apt-get install -y --no-install-recommends \
    "python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check)
"${PIP[@]}" -r "$SOURCE/requirements.txt"

# Student code runs as user nobody (the sandbox drops to it when the grader is root): it must
# read the interpreter, the environment and the course. run_autograder then closes the checks.
id nobody >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin nobody
chmod -R a+rX "$VENV" "$SOURCE"
"$VENV/bin/python" -m compileall -q "$SOURCE/autograder" "$SOURCE/datasets" || true
echo "setup.sh: done"
