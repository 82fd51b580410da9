# PostgreSQL for the tests, sourced by .ci/run (needs its log function and ROOT).
#
# start_postgres: installs Debian's PostgreSQL server when missing (without letting the package create and start a
# cluster of its own), initdb's a cluster in a temporary directory owned by a non-root user (the postgres OS user
# when this runs as root), starts it on a free loopback port with its socket in that directory, waits until it
# accepts connections, creates the role the tests use (LOGIN CREATEDB, not a superuser, a random password) and
# exports HEDGE_TEST_POSTGRES_URL, HEDGE_TEST_POSTGRES_USER and HEDGE_TEST_POSTGRES_PASSWORD.
# stop_postgres: fast shutdown of that server by the postmaster's PID, then removes the directory. .ci/run's cleanup
# trap calls it.

postgres_dir=""
postgres_pid=""
postgres_wrapper_pid=""

find_postgres_bin() {
  local bin
  for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$bin/initdb" ] && [ -x "$bin/postgres" ]; then echo "$bin"; return; fi
  done
}

install_postgres() {
  local sudo_cmd=""
  [ "$(id -u)" = "0" ] || sudo_cmd="sudo"
  log "PostgreSQL missing: installing Debian's postgresql"
  # Debian's package would create and start a cluster on port 5432; the tests start their own
  $sudo_cmd mkdir -p /etc/postgresql-common
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo 'create_main_cluster = false' | $sudo_cmd tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  local apt=($sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold
    postgresql)
  ("${apt[@]}" || ($sudo_cmd apt-get update -qq && "${apt[@]}")) >>"$ROOT/target/ci-apt.log" 2>&1
}

start_postgres() {
  local bin
  bin=$(find_postgres_bin || true)
  if [ -z "$bin" ]; then
    install_postgres || log "WARNING: could not install postgresql (see target/ci-apt.log)"
    bin=$(find_postgres_bin || true)
  fi
  if [ -z "$bin" ]; then
    if [ "${CI:-}" = "true" ]; then
      log "FAIL: no PostgreSQL server binaries and CI=true"; return 1
    fi
    log "WARNING: no PostgreSQL; PostgreSQL tests will be SKIPPED"; return 0
  fi
  local as_user=()
  postgres_dir=$(mktemp -d /tmp/hedge-ci-postgres.XXXXXX)
  if [ "$(id -u)" = "0" ]; then
    if ! id postgres >/dev/null 2>&1; then
      log "FAIL: running as root and there is no postgres OS user to run the server as"; return 1
    fi
    chown postgres:postgres "$postgres_dir"
    # setpriv executes the server in its own process (runuser would stay its parent, and stop itself for good when
    # a test pauses the server)
    as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
  local port
  port=$(free_port)
  "${as_user[@]}" "$bin/initdb" -D "$postgres_dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >"$ROOT/target/ci-postgres-initdb.log" 2>&1 \
    || { log "FAIL: initdb failed (see target/ci-postgres-initdb.log)"; return 1; }
  # test settings: no fsync (a crash of this throw-away server loses nothing anyone needs)
  "${as_user[@]}" "$bin/postgres" -D "$postgres_dir/data" -h 127.0.0.1 -p "$port" -k "$postgres_dir" \
    -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    >"$ROOT/target/ci-postgres.log" 2>&1 &
  postgres_wrapper_pid=$!
  local ready=""
  for _ in $(seq 1 600); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then ready=1; break; fi
    if ! kill -0 "$postgres_wrapper_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    log "FAIL: PostgreSQL did not accept connections on 127.0.0.1:$port (see target/ci-postgres.log)"; return 1
  fi
  postgres_pid=$(head -n 1 "$postgres_dir/data/postmaster.pid")
  local password
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$postgres_dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE hedge LOGIN CREATEDB PASSWORD '$password'" >>"$ROOT/target/ci-postgres.log" 2>&1 \
    || { log "FAIL: could not create the test role (see target/ci-postgres.log)"; return 1; }
  export HEDGE_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres"
  export HEDGE_TEST_POSTGRES_USER=hedge
  export HEDGE_TEST_POSTGRES_PASSWORD="$password"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $(stat -c %U "$postgres_dir/data")" \
    "(postmaster pid $postgres_pid, data in $postgres_dir)"
}

stop_postgres() {
  if [ -n "$postgres_pid" ]; then
    kill -CONT "$postgres_pid" 2>/dev/null || true
    # fast shutdown: roll back open transactions, disconnect, exit
    kill -INT "$postgres_pid" 2>/dev/null || true
    local _
    for _ in $(seq 1 300); do
      kill -0 "$postgres_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$postgres_pid" 2>/dev/null; then
      log "WARNING: PostgreSQL (pid $postgres_pid) still running after 30 s; sending SIGQUIT"
      kill -QUIT "$postgres_pid" 2>/dev/null || true
    fi
    postgres_pid=""
  fi
  if [ -n "$postgres_wrapper_pid" ]; then
    wait "$postgres_wrapper_pid" 2>/dev/null || true
    postgres_wrapper_pid=""
  fi
  if [ -n "$postgres_dir" ] && [ -d "$postgres_dir" ]; then
    rm -rf "$postgres_dir"
    postgres_dir=""
  fi
}
