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
# "--aviary.gateway.registration-open=true"), AVIARY_QUIET_TIER_JVM_ARGS (-XX:TieredStopAtLevel=1: the JVM flags of the
# tiers one-to-one chat does not pass through, session, upload, muc, pubsub, s2s and admin; empty for the JVM's
# defaults). One gateway alone: AVIARY_GATEWAYS=1.
set -euo pipefail
source "$(dirname "$0")/cluster.sh"
cluster_check
trap 'trap - EXIT INT TERM; echo "stopping the cluster"; cluster_stop' EXIT INT TERM
cluster_prepare
cluster_start
log "cluster ready: gateways on 5222$([[ "$gateways" == 1 ]] || echo " and 6222"); management on 9191-919$((3 + gateways)); Ctrl-C stops it"
# A process that dies (or is killed to see what the others do) leaves the rest running.
wait
