# The local cluster's parts, sourced by run-cluster.sh and chaos.sh (not run on its own): each process can be
# started, stopped and restarted on its own. Every process's id is kept in $dir/pids/<name>.pid, so a restarted
# process (started by another shell, e.g. `chaos.sh fault router`) is stopped with the rest.
# Names: postgres, redis, kafka, roster, session, router, archive, upload, muc, pubsub, s2s, admin, gateway-1, gateway-2.
# Environment: see run-cluster.sh.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${AVIARY_LOCAL_DIR:-$root/target/local-cluster}"
domain="${AVIARY_DOMAIN:-localhost}"
kafka_port=19092 redis_port=16379 pg_port=15432
pg_data="$dir/postgres"
heap="${AVIARY_SERVICE_HEAP:-256m}" gateway_heap="${AVIARY_GATEWAY_HEAP:-512m}"
read -r -a extra <<<"${AVIARY_EXTRA_GATEWAY_ARGS:-}"
# Eleven JVMs share this machine's cores, and each spends minutes of CPU in its JIT compilers, most of it C2's. The
# tiers that one-to-one chat does not pass through compile with C1 alone, which costs them little (they are quiet)
# and leaves the cores to the tiers that carry the traffic (docs/benchmarks.md, "The local cluster's compilers").
read -r -a quiet_jvm <<<"${AVIARY_QUIET_TIER_JVM_ARGS--XX:TieredStopAtLevel=1}"
gateways="${AVIARY_GATEWAYS:-2}"
services=(roster session router archive upload muc pubsub s2s admin gateway-1)
[[ "$gateways" == 1 ]] || services+=(gateway-2)

log() { echo "[$(date +%T)] $*"; }

pg_bin="$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)")"
# PostgreSQL refuses to run as root: run it as 'nobody' then.
as_pg() { if [[ $EUID -eq 0 ]]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$pg_bin/$1" "${@:2}"; else "$pg_bin/$1" "${@:2}"; fi; }

cluster_check() {
  local jar
  for jar in gateway-service/target/aviary-gateway.jar router-service/target/aviary-router.jar \
             session-service/target/aviary-session.jar roster-service/target/aviary-roster.jar \
             archive-service/target/aviary-archive.jar upload-service/target/aviary-upload.jar \
             muc-service/target/aviary-muc.jar pubsub-service/target/aviary-pubsub.jar \
             s2s-service/target/aviary-s2s.jar admin-service/target/aviary-admin.jar; do
    [[ -f "$root/$jar" ]] || { echo "missing $jar: run 'mvn -q -DskipTests package' first" >&2; return 1; }
  done
  [[ -x "$pg_bin/pg_ctl" ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
  command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; return 1; }
}

# Wipes the state directory and sets up PostgreSQL's data and Kafka's storage.
cluster_prepare() {
  rm -rf "$dir" && mkdir -p "$dir/logs" "$dir/pids" "$pg_data"
  [[ $EUID -eq 0 ]] && chown nobody:nogroup "$pg_data" "$dir" "$dir/logs"
  echo aviary > "$dir/pgpass" && [[ $EUID -eq 0 ]] && chown nobody:nogroup "$dir/pgpass"
  as_pg initdb -D "$pg_data" -U aviary --pwfile="$dir/pgpass" -A scram-sha-256 >"$dir/logs/initdb.log"

  # The broker's jars are bus-kafka's test classpath. -am resolves Aviary's own modules from this checkout (a fresh
  # machine has none of them in ~/.m2; test-compile makes the reactor hand over their classes); the relative
  # output file lands in each module's target/.
  build_classpath() { (cd "$root" && mvn -q "$@" -pl bus-kafka -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/broker.classpath); }
  build_classpath -o >/dev/null 2>&1 || build_classpath
  cp "$root/bus-kafka/target/broker.classpath" "$dir/kafka.classpath"
  cat >"$dir/kafka.properties" <<PROPS
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$((kafka_port+1))
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
controller.quorum.voters=1@127.0.0.1:$((kafka_port+1))
log.dirs=$dir/kafka
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  local kafka_java=(java -Xmx512m -XX:+ExitOnOutOfMemoryError -cp "$(cat "$dir/kafka.classpath")")
  "${kafka_java[@]}" kafka.tools.StorageTool format -t "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
    -c "$dir/kafka.properties" >"$dir/logs/kafka-format.log" 2>&1
}

# Starts a process in the background with its output in logs/<name>.log and its id in pids/<name>.pid.
spawn() { # name command...
  "${@:2}" </dev/null >>"$dir/logs/$1.log" 2>&1 &
  echo $! >"$dir/pids/$1.pid"
}

pid_of() { cat "$dir/pids/$1.pid" 2>/dev/null; }

start_postgres() {
  log "PostgreSQL on 127.0.0.1:$pg_port"
  as_pg pg_ctl -D "$pg_data" -l "$dir/logs/postgres.log" -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" \
    -w start >/dev/null
  PGPASSWORD=aviary psql -h 127.0.0.1 -p $pg_port -U aviary -d postgres -qc "CREATE DATABASE aviary" 2>/dev/null \
    || as_pg createdb -h 127.0.0.1 -p $pg_port -U aviary aviary 2>/dev/null || true
}

stop_postgres() { as_pg pg_ctl -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; }

start_redis() {
  log "Redis on 127.0.0.1:$redis_port (no persistence)"
  spawn redis redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --dir "$dir"
}

start_kafka() {
  log "Kafka (KRaft) on 127.0.0.1:$kafka_port"
  spawn kafka java -Xmx512m -XX:+ExitOnOutOfMemoryError -cp "$(cat "$dir/kafka.classpath")" kafka.Kafka "$dir/kafka.properties"
}

common=(--aviary.domain="$domain"
  --aviary.bus.kafka.bootstrap-servers=127.0.0.1:$kafka_port
  --aviary.registry.redis.url=redis://127.0.0.1:$redis_port
  --spring.datasource.url=jdbc:postgresql://127.0.0.1:$pg_port/aviary
  --spring.datasource.username=aviary --spring.datasource.password=aviary)

management_port() { # service
  case $1 in roster) echo 9191 ;; session) echo 9192 ;; router) echo 9193 ;; gateway-1) echo 9194 ;; gateway-2) echo 9195 ;;
    archive) echo 9196 ;; upload) echo 9197 ;; muc) echo 9198 ;; pubsub) echo 9199 ;; s2s) echo 9200 ;; admin) echo 9201 ;;
    *) echo "no service $1" >&2; return 1 ;; esac
}

start_service() { # roster|session|router|archive|upload|muc|pubsub|s2s|admin|gateway-1|gateway-2
  local name=$1 port jar memory=$heap args=() jvm=()
  port=$(management_port "$name")
  case $name in session|upload|muc|pubsub|s2s|admin) jvm=("${quiet_jvm[@]}") ;; esac
  case $name in
    # muc: group chat, its rooms in PostgreSQL (aviary.muc.store=jdbc, the default with a database), the accounts in
    # AVIARY_ADMINS owners of every room; pubsub: PEP and publish-subscribe, its nodes in PostgreSQL.
    roster|session|router|archive|pubsub) jar=$name-service/target/aviary-$name.jar ;;
    muc) jar=muc-service/target/aviary-muc.jar args=(--aviary.admins="${AVIARY_ADMINS:-admin@$domain}") ;;
    # Federation on 5269 and components on 5347 (loopback); the admin API and console on its management port
    # (http://127.0.0.1:9201/admin/), for the accounts in AVIARY_ADMINS.
    s2s) jar=s2s-service/target/aviary-s2s.jar args=(--aviary.s2s.dialback-secret=local-cluster-dialback-secret) ;;
    admin) jar=admin-service/target/aviary-admin.jar args=(--aviary.admins="${AVIARY_ADMINS:-admin@$domain}") ;;
    # Files and calls; its files in a directory of the local cluster's (no object storage here). A cluster's upload
    # instances must share the key that signs PUT URLs.
    upload) jar=upload-service/target/aviary-upload.jar
      args=(--aviary.data-dir="$dir/upload" --aviary.upload.http.secret=local-cluster-upload-secret) ;;
    gateway-1) jar=gateway-service/target/aviary-gateway.jar memory=$gateway_heap
      args=(--aviary.gateway.id=gateway-1 --aviary.data-dir="$dir/gateway-1" "${extra[@]}") ;;
    gateway-2) jar=gateway-service/target/aviary-gateway.jar memory=$gateway_heap
      args=(--aviary.gateway.id=gateway-2 --aviary.data-dir="$dir/gateway-2" --aviary.gateway.c2s-port=6222
        --aviary.gateway.direct-tls-port=6223 --aviary.gateway.http.port=6280 --aviary.gateway.http.tls-port=6443
        "${extra[@]}") ;;
  esac
  log "$name (management on $port, log $dir/logs/$name.log)"
  spawn "$name" java -Xmx"$memory" -XX:+ExitOnOutOfMemoryError "${jvm[@]}" -jar "$root/$jar" "${common[@]}" --server.port="$port" "${args[@]}"
}

ready() { # service [seconds]
  local port i
  port=$(management_port "$1")
  for ((i = 0; i < ${2:-180}; i++)); do
    curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && return 0; sleep 1
  done
  echo "$1 (management port $port) did not become ready; see $dir/logs/$1.log" >&2; return 1
}

listening() { # port [seconds]: waits until something accepts connections on 127.0.0.1:port
  local i
  for ((i = 0; i < ${2:-60}; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# Whether a process runs (a zombie, dead but not yet reaped by the shell that started it, does not).
alive() { [[ -r /proc/$1/stat ]] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

# Sends a signal to a process and waits (bounded) until it has gone; SIGKILL when it outlives the wait.
stop_process() { # name [signal] [seconds]
  local pid i
  pid=$(pid_of "$1") || return 0
  kill -"${2:-TERM}" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < ${3:-30} * 5; i++)); do alive "$pid" || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

cluster_start() {
  start_postgres
  start_redis
  start_kafka
  start_service roster
  ready roster   # the roster service migrates the database first
  local s
  for s in "${services[@]:1}"; do start_service "$s"; done
  for s in "${services[@]:1}"; do ready "$s"; done
}

# Services first (gateways drain), then the infrastructure they need while draining.
cluster_stop() {
  local i
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop_process "${services[i]}" TERM 30; done
  stop_process kafka TERM 30
  stop_process redis TERM 10
  stop_postgres
}
