# Sourced by .ci/run: a throwaway PostgreSQL server for the store tests, which run on SQLite and
# on PostgreSQL (tests/pg_support.py). Debian's packages, a temporary data directory, loopback
# only, a free port, a random superuser password (scram-sha-256); PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` user the package creates. fsync is off:
# the data is thrown away. `start_postgres` exports QUIZAPP_TEST_PG_URL and
# QUIZAPP_TEST_REQUIRE_PG=1 (a missing server then fails the tests instead of skipping them);
# `stop_postgres` stops the server and removes the directory (.ci/run calls it on EXIT).

PG_CI_DIR=""
PG_CI_BIN=""

pg_ci_bin() {
    # the newest installed server's binaries (Debian keeps them out of PATH)
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

pg_ci_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    PG_CI_BIN=$(pg_ci_bin)
    if [ -z "$PG_CI_BIN" ] || [ ! -x "$PG_CI_BIN/pg_ctl" ]; then
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
        PG_CI_BIN=$(pg_ci_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    local password port
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PG_CI_DIR=$(mktemp -d)
    printf '%s\n' "$password" >"$PG_CI_DIR/password"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres: "$PG_CI_DIR"
    fi
    pg_ci_as_owner "$PG_CI_BIN/initdb" -D "$PG_CI_DIR/data" -U quizapp --pwfile="$PG_CI_DIR/password" \
        --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$PG_CI_DIR/password"
    pg_ci_as_owner "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$PG_CI_DIR'" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    export QUIZAPP_TEST_PG_URL="postgresql+psycopg://quizapp:$password@127.0.0.1:$port/postgres"
    export QUIZAPP_TEST_REQUIRE_PG=1
    echo "PostgreSQL $("$PG_CI_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
    if [ -n "$PG_CI_DIR" ] && [ -d "$PG_CI_DIR/data" ]; then
        pg_ci_as_owner "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m immediate -w stop >/dev/null || true
    fi
    if [ -n "$PG_CI_DIR" ]; then
        rm -rf "$PG_CI_DIR"
    fi
}
