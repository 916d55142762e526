#!/usr/bin/env bash
# Every check and suite of the workspace, in order. A failing step does not stop the run, so every
# suite reports; the exit code is non-zero if anything failed. The last line is the summary
# `N passed, N failed[, N skipped]` written by scripts/summarise-results.ts.
# Run it through `npm test`, which first installs what is missing (scripts/setup.sh --with-browser).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
STEPS="$RESULTS/steps.tsv"
: >"$STEPS"

# record NAME KIND EXIT_CODE [REPORT_FILE]  (KIND: check | node-test | vitest | playwright | skipped)
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$STEPS"; }
header() { printf '\n\033[1m── %s\033[0m\n' "$1"; }

# step NAME KIND JSON_FILE CMD...
step() {
  local name=$1 kind=$2 json=$3 start=$SECONDS code
  shift 3
  header "$name"
  "$@"
  code=$?
  record "$name" "$kind" "$code" "$json"
  if [ "$code" = 0 ]; then
    echo "✓ $name ($((SECONDS - start))s)"
  else
    echo "✗ $name failed with exit code $code ($((SECONDS - start))s)"
  fi
}

# --- static checks ----------------------------------------------------------------------------
step "lint" check "" pnpm exec eslint . --max-warnings=0
step "typecheck" check "" pnpm run --silent typecheck
step "format" check "" pnpm exec prettier --check . --log-level warn
# No import cycles (type imports count: a feature importing app.ts was one).
step "import cycles" check "" pnpm exec madge --circular --extensions ts,tsx \
  bff/src auth0-emulator/src web/src
# No copied code above .jscpd.json's threshold; known clones are listed in docs/architecture.md.
step "duplication" check "" pnpm exec jscpd --silent

# --- the workspace scripts' own tests (Node's test runner) ---------------------------------------
step "scripts tests" node-test "$RESULTS/scripts.tap" \
  pnpm exec tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$RESULTS/scripts.tap" scripts/*.test.ts

# --- PostgreSQL for the bff storage tests -----------------------------------------------------
PG_DIR=""
PG_RUN=()
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
  fi
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  PG_DIR=""
}
trap stop_postgres EXIT
trap 'exit 130' INT TERM

start_postgres() {
  local pg_ctl port
  pg_ctl=$(command -v pg_ctl 2>/dev/null || ls -1 /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  [ -n "$pg_ctl" ] || return 1
  PG_BIN=$(dirname "$(readlink -f "$pg_ctl")")
  PG_DIR=$(mktemp -d /tmp/guestlist-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the throwaway cluster as the postgres user.
    id postgres >/dev/null 2>&1 || return 1
    chown postgres "$PG_DIR"
    PG_RUN=(runuser -u postgres --)
  fi
  port=${TEST_PG_PORT:-55432}
  while (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 || return 1
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null 2>&1 || { tail -n 20 "$PG_DIR/server.log" 2>/dev/null; return 1; }
  "${PG_RUN[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres guestlist_test || return 1
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/guestlist_test"
}

# --- unit and integration suites (vitest) -----------------------------------------------------
for pkg in auth0-emulator bff web; do
  [ -f "$pkg/package.json" ] || continue
  if [ "$pkg" = bff ]; then
    header "postgresql (throwaway cluster for the bff storage tests)"
    if start_postgres; then
      echo "✓ postgresql at $TEST_DATABASE_URL"
    else
      stop_postgres
      unset TEST_DATABASE_URL
      echo "⚠ postgresql unavailable: the bff tests that need TEST_DATABASE_URL are skipped"
      record "postgresql" skipped 0 ""
    fi
  fi
  step "$pkg tests" vitest "$RESULTS/$pkg.json" \
    pnpm --filter "@app/$pkg" exec vitest run --reporter=default --reporter=json \
    --outputFile.json="$RESULTS/$pkg.json"
  [ "$pkg" = bff ] && stop_postgres
done

# --- end to end (Playwright in Debian Chromium) -----------------------------------------------
# e2e/playwright.config.ts writes its JSON report to .test-results/e2e.json.
step "e2e (playwright)" playwright "$RESULTS/e2e.json" pnpm --filter @app/e2e exec playwright test

echo
pnpm exec tsx scripts/summarise-results.ts "$STEPS"
