#!/usr/bin/env bash
# The processes of deploy/compose.yaml as plain processes on this machine, against a PostgreSQL and a Redis
# that already run: `tarjotin db upgrade` once, two web replicas (`serve --workers 2`,
# TARJOTIN_MIGRATE_ON_START=false) and one planning worker. It waits until both replicas answer /readyz,
# then runs COMMAND (if given) and stops them all; without a COMMAND it stops them at once (a smoke test).
#
#   TARJOTIN_DATABASE_URL=postgresql+psycopg://... TARJOTIN_BROKER_URL=redis://127.0.0.1:6379/0 \
#     deploy/run-local.sh [COMMAND [ARG...]]        e.g. deploy/run-local.sh read -p 'Enter stops: '
#
# Environment: TARJOTIN_DATABASE_URL and TARJOTIN_BROKER_URL (required), any other TARJOTIN_ setting,
# TARJOTIN_BIN (the tarjotin command; default: tarjotin on PATH), WEB_PORTS (default "8001 8002"),
# READY_SECONDS (default 120), LOG_DIR (each process's output; default a new temporary folder).
# COMMAND sees WEB_URLS (the replicas' addresses, space-separated) and WORKER_PID. The exit code is
# COMMAND's, or non-zero if a step failed.
set -euo pipefail

: "${TARJOTIN_DATABASE_URL:?set TARJOTIN_DATABASE_URL (PostgreSQL)}"
: "${TARJOTIN_BROKER_URL:?set TARJOTIN_BROKER_URL (Redis)}"
export TARJOTIN_DATABASE_URL TARJOTIN_BROKER_URL
TARJOTIN_BIN=${TARJOTIN_BIN:-tarjotin}
READY_SECONDS=${READY_SECONDS:-120}
LOG_DIR=${LOG_DIR:-$(mktemp -d -t tarjotin-local.XXXXXX)}
read -r -a PORTS <<<"${WEB_PORTS:-8001 8002}"
mkdir -p "$LOG_DIR"

pids=()
stop() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    echo "run-local: stopped (logs in $LOG_DIR)"
}
trap stop EXIT
trap "exit 143" TERM INT

echo "run-local: migrate"
"$TARJOTIN_BIN" db upgrade

export TARJOTIN_MIGRATE_ON_START=false
urls=()
for port in "${PORTS[@]}"; do
    "$TARJOTIN_BIN" serve --workers 2 --host 127.0.0.1 --port "$port" >"$LOG_DIR/web-$port.log" 2>&1 &
    pids+=("$!")
    urls+=("http://127.0.0.1:$port")
done
"$TARJOTIN_BIN" worker >"$LOG_DIR/worker.log" 2>&1 &
WORKER_PID=$!
pids+=("$WORKER_PID")
echo "run-local: worker pid $WORKER_PID"

ready() {
    local code
    code=$(curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' "$1/readyz") || return 1
    [[ $code == 200 ]]
}
for url in "${urls[@]}"; do
    deadline=$((SECONDS + READY_SECONDS))
    until ready "$url"; do
        for pid in "${pids[@]}"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                echo "run-local: process $pid stopped; see $LOG_DIR" >&2
                tail -n 20 "$LOG_DIR"/*.log >&2
                exit 1
            fi
        done
        if ((SECONDS >= deadline)); then
            echo "run-local: $url/readyz did not answer 200 within $READY_SECONDS s; see $LOG_DIR" >&2
            exit 1
        fi
        sleep 0.5
    done
    echo "run-local: ready $url"
done

export WEB_URLS="${urls[*]}" WORKER_PID
if (($# > 0)); then
    "$@"
fi
