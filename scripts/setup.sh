#!/usr/bin/env bash
# Installs whatever is missing for `npm start` / `npm test`, and nothing else.
# Idempotent: with everything in place it only compares a few timestamps and hashes.
#
#   bash scripts/setup.sh                 pnpm, dependencies, the built SPA (web/dist)
#   bash scripts/setup.sh --with-browser  also Debian chromium and a PostgreSQL server (for npm test)
#   bash scripts/setup.sh --no-build      skip the SPA build (the e2e suite builds its own copy)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PNPM_VERSION=10.34.9
WITH_BROWSER=0
BUILD_WEB=1
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    --no-build) BUILD_WEB=0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

LOG_DIR="$ROOT/.data/setup"
mkdir -p "$LOG_DIR"

say() { printf 'setup: %s\n' "$*"; }

# run LABEL LOGNAME CMD... — runs quietly, prints one line, shows the log tail on failure.
run() {
  local label=$1 log="$LOG_DIR/$2.log" start=$SECONDS
  shift 2
  if "$@" >"$log" 2>&1; then
    say "$label ... done in $((SECONDS - start))s"
  else
    say "$label ... FAILED (log: ${log#"$ROOT"/})"
    tail -n 30 "$log" | sed 's/^/  | /' >&2
    return 1
  fi
}

# Serialise installs with other pnpm runs in the same checkout (a shared lock file, if flock exists).
with_lock() {
  if command -v flock >/dev/null 2>&1; then flock "${PNPM_INSTALL_LOCK:-/tmp/pnpm.lock}" "$@"; else "$@"; fi
}

# --- pnpm ------------------------------------------------------------------------------------
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  run "installing pnpm $PNPM_VERSION" pnpm npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION"
  hash -r
else
  say "pnpm $PNPM_VERSION ok"
fi

# --- dependencies ----------------------------------------------------------------------------
# The stamp lives inside node_modules, so deleting node_modules also deletes the stamp.
STAMP=node_modules/.guestlist-install-stamp
MANIFESTS=(pnpm-lock.yaml pnpm-workspace.yaml package.json */package.json)
needs_install() {
  [ -f "$STAMP" ] || return 0
  local pkg dir
  for pkg in */package.json; do
    dir=$(dirname "$pkg")
    [ -d "$dir/node_modules" ] || return 0
  done
  [ -n "$(find "${MANIFESTS[@]}" -newer "$STAMP" -print -quit 2>/dev/null)" ]
}
if needs_install; then
  run "installing dependencies (pnpm install --frozen-lockfile)" install \
    with_lock pnpm install --frozen-lockfile --reporter=append-only
  touch "$STAMP"
else
  say "dependencies up to date"
fi

# --- the SPA -----------------------------------------------------------------------------------
# Rebuilt when the hash of its inputs changes: web sources, the bff contracts web imports, the root .env.
web_source_hash() {
  {
    find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print0
    find bff/src -name '*contract.ts' -print0
    if [ -f .env ]; then printf '.env\0'; fi
  } | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1
}
if [ "$BUILD_WEB" = 1 ]; then
  HASH=$(web_source_hash)
  if [ "$(cat web/dist/.source-hash 2>/dev/null || true)" != "$HASH" ]; then
    # VITE_* settings for a real tenant may live in the root .env (read by npm start as well).
    run "building the SPA (web/dist)" build-web \
      bash -c 'if [ -f .env ]; then set -a; . ./.env; set +a; fi; exec pnpm --filter @app/web build'
    echo "$HASH" >web/dist/.source-hash
  else
    say "SPA up to date (web/dist)"
  fi
fi

# --- system packages for npm test ------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  local label=$1
  shift
  if ! command -v apt-get >/dev/null 2>&1; then
    say "$label is missing and apt-get is not available; install it by hand"
    return 1
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ "$APT_UPDATED" = 0 ]; then
    run "apt-get update" apt-update $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  run "installing $label (apt-get)" "apt-$label" \
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

find_pg_ctl() {
  command -v pg_ctl 2>/dev/null || ls -1 /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1
}

if [ "$WITH_BROWSER" = 1 ]; then
  if [ -x /usr/bin/chromium ]; then
    say "chromium ok"
  else
    apt_install chromium chromium
  fi
  if [ -n "$(find_pg_ctl)" ]; then
    say "postgresql ok"
  else
    # Not fatal: scripts/test.sh skips the PostgreSQL-backed tests with a visible line.
    apt_install postgresql postgresql || say "postgresql unavailable; its tests will be skipped"
  fi
fi
