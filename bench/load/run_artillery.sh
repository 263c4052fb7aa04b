#!/usr/bin/env bash
# Load-test invsim's production shape with Artillery (docs/load-testing.md).
#   bash bench/load/run_artillery.sh                      # trial: 50 users, ~2 min
#   bash bench/load/run_artillery.sh --environment mid    # 300 users: 3 min ramp, 1 min hold
#   bash bench/load/run_artillery.sh --environment full   # 1,000 users: 5 min ramp, 2 min hold
# Installs Artillery (pinned in package-lock.json) once, without its browser download,
# then runs run_load.py with the project's Python (PYTHON, default .venv/bin/python).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
command -v npm >/dev/null || { echo "missing: Node.js 20+ and npm (apt-get install nodejs npm)"; exit 1; }
if [ ! -x "$here/node_modules/.bin/artillery" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.installed" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  touch "$here/node_modules/.installed"
fi
exec "$python" "$here/run_load.py" "$@"
