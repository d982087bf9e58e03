#!/usr/bin/env bash
# Chaos under load on the local cluster (docs/reliability.md): starts the cluster as run-cluster.sh does, puts a
# steady chat load on it (pairs of users, one on each gateway, sending numbered messages at a fixed rate, from
# bench's load generator), then injects one fault after the other and reports, per fault, the messages sent,
# received, lost, duplicated and reordered, and how long until service resumed. Stops by itself, everything on
# 127.0.0.1; the cluster is stopped at the end (or on Ctrl-C).
#
#   mvn -q -DskipTests package && deploy/local/chaos.sh
#
# Faults, in this order by default (AVIARY_CHAOS_FAULTS, comma-separated):
#   gateway-1, router, roster, session  kill -9 of the service, then started again (the clients of a dead gateway
#                                       log in again on the other one, as a real client would)
#   redis, kafka, postgres              a restart: stopped (SIGTERM, fast shutdown) and started again; Redis keeps
#                                       no data, as in run-cluster.sh, so it comes back empty
# Needs what run-cluster.sh needs, and bench/target/aviary-bench.jar. Environment, besides run-cluster.sh's:
#   AVIARY_CHAOS_PAIRS (50)   AVIARY_CHAOS_RATE (100 messages/s in all)   AVIARY_CHAOS_REPORT (target/chaos-report.json)
#   AVIARY_CHAOS_ARGS (more options for the generator's chaos scenario, e.g. "--limit 60s --budget 10m"; see
#   `java -jar bench/target/aviary-bench.jar`): its phases stop after --budget (15m), and the generator is stopped
#   after AVIARY_CHAOS_MINUTES (20) whatever happens
# AVIARY_LOCAL_DIR defaults to target/chaos-cluster here (wiped at start).
#
# `chaos.sh fault NAME` injects one fault into a running chaos cluster and returns when the restarted process is
# ready; the load generator runs it for each fault.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export AVIARY_LOCAL_DIR="${AVIARY_LOCAL_DIR:-$(cd "$here/../.." && pwd)/target/chaos-cluster}"
# In-band registration creates the accounts; the same arguments again when a gateway is restarted.
export AVIARY_EXTRA_GATEWAY_ARGS="${AVIARY_EXTRA_GATEWAY_ARGS:---aviary.gateway.registration-open=true}"
source "$here/cluster.sh"

if [[ "${1:-}" == fault ]]; then
  # The load generator takes this line as the moment of the fault.
  [[ "${2:-}" =~ ^(gateway-[12]|router|roster|session|redis|kafka|postgres)$ ]] && log "injecting $2"
  case "${2:-}" in
    gateway-1|gateway-2|router|roster|session)
      log "kill -9 $2, then start it again"; stop_process "$2" KILL 10; start_service "$2"; ready "$2" 120 ;;
    redis) log "restarting Redis"; stop_process redis TERM 10; start_redis; listening $redis_port 30 ;;
    kafka) log "restarting Kafka"; stop_process kafka TERM 60; start_kafka; listening $kafka_port 60 ;;
    postgres) log "restarting PostgreSQL"; stop_postgres; start_postgres ;;
    *) echo "unknown fault '${2:-}'" >&2; exit 2 ;;
  esac
  log "$2 is back"
  exit 0
fi

bench="$root/bench/target/aviary-bench.jar"
[[ -f "$bench" ]] || { echo "missing bench/target/aviary-bench.jar: run 'mvn -q -DskipTests package' first" >&2; exit 1; }
cluster_check
for port in 5222 6222 9191 9192 9193 9194 9195 $pg_port $redis_port $kafka_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "127.0.0.1:$port is in use (a cluster already running?)" >&2; exit 1
  fi
done
pairs="${AVIARY_CHAOS_PAIRS:-50}"
report="${AVIARY_CHAOS_REPORT:-$root/target/chaos-report.json}"
read -r -a chaos_args <<<"${AVIARY_CHAOS_ARGS:-}"

trap 'trap - EXIT INT TERM; log "stopping the cluster"; cluster_stop' EXIT INT TERM
cluster_prepare
cluster_start
log "cluster ready; creating $((2 * pairs)) accounts"
timeout 300 java -jar "$bench" provision --targets 127.0.0.1:5222 --users $((2 * pairs)) --user-prefix chaos- \
  --threads 1
log "chaos under load; the report goes to $report"
timeout --kill-after=30 "${AVIARY_CHAOS_MINUTES:-20}m" java -Xmx1g -jar "$bench" chaos \
  --targets 127.0.0.1:5222,127.0.0.1:6222 --user-prefix chaos- --threads 2 --login-timeout 30s \
  --pairs "$pairs" --rate "${AVIARY_CHAOS_RATE:-100}" \
  --faults "${AVIARY_CHAOS_FAULTS:-gateway-1,router,roster,session,redis,kafka,postgres}" \
  --fault-command "$here/chaos.sh fault" --json "$report" "${chaos_args[@]}"
