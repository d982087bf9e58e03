#!/usr/bin/env bash
# The whole Aviary cluster on this machine without Docker, for trying it out and for benchmarks:
# Kafka (one KRaft node, from the Kafka jars Maven already has), redis-server, PostgreSQL (initdb/pg_ctl from
# the PATH or /usr/lib/postgresql/*/bin), and every service from its runnable jar: two gateways, a router,
# a session and a roster service, each its own JVM. Ctrl-C (or SIGTERM) stops everything.
#
#   mvn -q -DskipTests package && deploy/local/run-cluster.sh
#
# Needs: Java 17+, Maven, redis-server, PostgreSQL server binaries (Debian: apt-get install redis-server postgresql).
# Clients: gateway-1 on 5222 (STARTTLS) / 5223 (TLS) / 5280 (BOSH, WebSocket), gateway-2 on 6222 / 6223 / 6280.
# Accounts: java -jar standalone/target/aviary.jar user add alice@localhost --spring.datasource.url=jdbc:postgresql://127.0.0.1:15432/aviary
#   --spring.datasource.username=aviary --spring.datasource.password=aviary   (or in-band registration, see below)
# Environment: AVIARY_LOCAL_DIR (state, default target/local-cluster, wiped at start), AVIARY_DOMAIN (localhost),
# AVIARY_SERVICE_HEAP (256m), AVIARY_GATEWAY_HEAP (512m), AVIARY_EXTRA_GATEWAY_ARGS (e.g.
# "--aviary.gateway.registration-open=true"). One gateway alone: AVIARY_GATEWAYS=1.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${AVIARY_LOCAL_DIR:-$root/target/local-cluster}"
domain="${AVIARY_DOMAIN:-localhost}"
kafka_port=19092 redis_port=16379 pg_port=15432
pids=()

stop() {
  trap - EXIT INT TERM
  echo "stopping the cluster"
  # Services first (gateways drain), then the infrastructure they need while draining.
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
  [[ -n "${pg_data:-}" ]] && as_pg pg_ctl -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
}
trap stop EXIT INT TERM

for jar in gateway-service/target/aviary-gateway.jar router-service/target/aviary-router.jar \
           session-service/target/aviary-session.jar roster-service/target/aviary-roster.jar; do
  [[ -f "$root/$jar" ]] || { echo "missing $jar: run 'mvn -q -DskipTests package' first" >&2; exit 1; }
done
pg_bin="$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)")"
[[ -x "$pg_bin/pg_ctl" ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }

rm -rf "$dir" && mkdir -p "$dir/logs"
log() { echo "[$(date +%T)] $*"; }

# PostgreSQL refuses to run as root: run it as 'nobody' then.
as_pg() { if [[ $EUID -eq 0 ]]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$pg_bin/$1" "${@:2}"; else "$pg_bin/$1" "${@:2}"; fi; }
pg_data="$dir/postgres"
mkdir -p "$pg_data" && [[ $EUID -eq 0 ]] && chown nobody:nogroup "$pg_data" "$dir" "$dir/logs"
echo aviary > "$dir/pgpass" && [[ $EUID -eq 0 ]] && chown nobody:nogroup "$dir/pgpass"
log "PostgreSQL on 127.0.0.1:$pg_port"
as_pg initdb -D "$pg_data" -U aviary --pwfile="$dir/pgpass" -A scram-sha-256 >"$dir/logs/initdb.log"
as_pg pg_ctl -D "$pg_data" -l "$dir/logs/postgres.log" -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" -w start >/dev/null
PGPASSWORD=aviary psql -h 127.0.0.1 -p $pg_port -U aviary -d postgres -qc "CREATE DATABASE aviary" 2>/dev/null \
  || as_pg createdb -h 127.0.0.1 -p $pg_port -U aviary aviary 2>/dev/null || true

log "Redis on 127.0.0.1:$redis_port"
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/logs/redis.log" 2>&1 &
pids+=($!)

log "Kafka (KRaft) on 127.0.0.1:$kafka_port"
# The broker's jars are bus-kafka's test classpath. -am resolves Aviary's own modules from this checkout (a fresh
# machine has none of them in ~/.m2; test-compile makes the reactor hand over their classes); the relative
# output file lands in each module's target/.
build_classpath() { (cd "$root" && mvn -q "$@" -pl bus-kafka -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/broker.classpath); }
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
kafka_java=(java -Xmx512m -XX:+ExitOnOutOfMemoryError -cp "$(cat "$dir/kafka.classpath")")
"${kafka_java[@]}" kafka.tools.StorageTool format -t "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
  -c "$dir/kafka.properties" >"$dir/logs/kafka-format.log" 2>&1
"${kafka_java[@]}" kafka.Kafka "$dir/kafka.properties" >"$dir/logs/kafka.log" 2>&1 &
pids+=($!)

common=(--aviary.domain="$domain"
  --aviary.bus.kafka.bootstrap-servers=127.0.0.1:$kafka_port
  --aviary.registry.redis.url=redis://127.0.0.1:$redis_port
  --spring.datasource.url=jdbc:postgresql://127.0.0.1:$pg_port/aviary
  --spring.datasource.username=aviary --spring.datasource.password=aviary)

start() { # name heap jar management-port args...
  local name=$1 heap=$2 jar=$3 port=$4
  log "$name (management on $port, log $dir/logs/$name.log)"
  java -Xmx"$heap" -XX:+ExitOnOutOfMemoryError -jar "$root/$jar" "${common[@]}" --server.port="$port" "${@:5}" >"$dir/logs/$name.log" 2>&1 &
  pids+=($!)
}
ready() { # port
  for _ in $(seq 1 180); do
    curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null 2>&1 && return 0; sleep 1
  done
  echo "a service on management port $1 did not become ready; see $dir/logs" >&2; return 1
}
heap="${AVIARY_SERVICE_HEAP:-256m}" gateway_heap="${AVIARY_GATEWAY_HEAP:-512m}"
extra=(${AVIARY_EXTRA_GATEWAY_ARGS:-})
start roster "$heap" roster-service/target/aviary-roster.jar 9191
ready 9191   # the roster service migrates the database first
start session "$heap" session-service/target/aviary-session.jar 9192
start router "$heap" router-service/target/aviary-router.jar 9193
start gateway-1 "$gateway_heap" gateway-service/target/aviary-gateway.jar 9194 --aviary.gateway.id=gateway-1 \
  --aviary.data-dir="$dir/gateway-1" "${extra[@]}"
[[ "${AVIARY_GATEWAYS:-2}" == 1 ]] || start gateway-2 "$gateway_heap" gateway-service/target/aviary-gateway.jar 9195 --aviary.gateway.id=gateway-2 \
  --aviary.data-dir="$dir/gateway-2" --aviary.gateway.c2s-port=6222 --aviary.gateway.direct-tls-port=6223 \
  --aviary.gateway.http.port=6280 --aviary.gateway.http.tls-port=6443 "${extra[@]}"
for port in 9192 9193 9194 $([[ "${AVIARY_GATEWAYS:-2}" == 1 ]] || echo 9195); do ready $port; done
log "cluster ready: gateways on 5222 and 6222; management on 9191-9195; Ctrl-C stops it"
# A process that dies (or is killed to see what the others do) leaves the rest running.
wait
