#!/usr/bin/env bash
# Runs every test: static checks, unit and integration suites, then browser end-to-end tests.
# Installs Debian's chromium / postgresql when missing (as root with apt), else names the command to run.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need_pkgs+=(postgresql); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test: installing ${need_pkgs[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "test: missing ${need_pkgs[*]}; run: sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
fi

echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint . --max-warnings=0
echo "== format"; npx prettier --check . --log-level warn
echo "== unit and integration tests"; npx vitest run
echo "== whole-stack and browser tests (built app + local engine + Chromium)"; npx vitest run --config vitest.e2e.config.ts
