#!/usr/bin/env bash
# Aviary and a peer server side by side (issue 19): the same scenarios of bench's load generator against each, one
# server after the other on this machine, each started fresh with equivalent settings:
#   - client connections on 127.0.0.1:5222 with STARTTLS required, a self-signed ECDSA P-256 certificate;
#   - SCRAM-SHA-256 with stored SCRAM credentials (ejabberd: auth_password_format scram, auth_scram_hash sha256);
#   - accounts created by in-band registration (XEP-0077), open to the generator;
#   - no offline storage, no message archive, no stream management (the clients do not ask for it);
#   - Aviary as README starts it (its heap flags, the default collector), ejabberd as Debian installs it.
# Per server: provision the accounts and log each in once (the generator's SCRAM cache); warm the login storm's
# generator against it; restart; 10 s after the start the storm (SBS_LOGIN_RATE for SBS_LOGIN_DURATION, server CPU per
# login); then the chat steps (SBS_RATES, server CPU per delivered message and resident memory per step). Prints a
# Markdown table with each figure, the peer's and the ratio, and keeps the generator's JSON reports in SBS_DIR.
#
#   mvn -B -q -pl standalone,bench -am package -DskipTests && bench/side-by-side.sh
#
# Needs root (each peer runs as its own user) and the peer from Debian (apt-get install -y ejabberd, or prosody).
# Environment: SBS_USERS (1000)  SBS_RATES (2000,4000,8000)  SBS_STEP (15s)  SBS_LOGIN_RATE (200)
#   SBS_LOGIN_DURATION (20s)  SBS_DIR (target/side-by-side, wiped at start)  SBS_PEER (ejabberd or prosody)
#   SBS_PEER_LOGIN_MECH (SCRAM-SHA-256; PLAIN: the peer's login storm uses PLAIN, which issue 19's "CPU per login"
#   target compares Aviary's SCRAM-SHA-256 logins with; Aviary's storm always uses SCRAM-SHA-256)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
users="${SBS_USERS:-1000}"
rates="${SBS_RATES:-2000,4000,8000}"
step="${SBS_STEP:-15s}"
login_rate="${SBS_LOGIN_RATE:-200}"
login_duration="${SBS_LOGIN_DURATION:-20s}"
peer="${SBS_PEER:-ejabberd}"
peer_login_mech="${SBS_PEER_LOGIN_MECH:-SCRAM-SHA-256}"
dir="${SBS_DIR:-$root/target/side-by-side}"
bench="$root/bench/target/aviary-bench.jar"
# README's command: the extracted jar with the build's class-data archive
aviary="$root/standalone/target/aviary/aviary.jar"
aviary_classes="$root/standalone/target/aviary.jsa"
ejabberdctl=/usr/sbin/ejabberdctl

log() { printf '%s side-by-side: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "$*"; exit 1; }

[[ "$peer" == ejabberd || "$peer" == prosody ]] || die "SBS_PEER=$peer: ejabberd or prosody"
[[ "$peer_login_mech" == SCRAM-SHA-256 || "$peer_login_mech" == PLAIN ]] ||
  die "SBS_PEER_LOGIN_MECH=$peer_login_mech: SCRAM-SHA-256 or PLAIN"
[[ -f "$bench" && -f "$aviary" && -f "$aviary_classes" ]] || die "build first: mvn -B -q -pl standalone,bench -am package -DskipTests"
[[ "$peer" != ejabberd || -x "$ejabberdctl" ]] || die "ejabberd is not installed (apt-get install -y ejabberd)"
[[ "$peer" != prosody || -x /usr/bin/prosody ]] || die "Prosody is not installed (apt-get install -y prosody)"
[[ "$(id -u)" == 0 ]] || die "run as root: the peer server runs as its own user"
if (exec 3<>/dev/tcp/127.0.0.1/5222) 2>/dev/null; then die "something listens on 127.0.0.1:5222 already"; fi

rm -rf "$dir"
mkdir -p "$dir"
scram_cache="$dir/scram.cache"
server_pid=""
stop_server=""

generator() { # scenario, then its options; the accounts' SCRAM cache is shared by every run
  java -Xmx2g -jar "$bench" "$@" --targets 127.0.0.1:5222 --scram-cache "$scram_cache"
}

listening() { # port, seconds, the process that is to listen (gives up when it exits)
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    ((SECONDS < deadline)) && kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
}

start_aviary() {
  java -XX:SharedArchiveFile="$aviary_classes" -Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$aviary" --aviary.data-dir="$dir/aviary-data" \
    --aviary.gateway.bind-address=127.0.0.1 --aviary.gateway.direct-tls-port=-1 --aviary.gateway.http.enabled=false \
    --aviary.s2s.enabled=false --server.port=0 \
    --aviary.gateway.registration-open=true --aviary.gateway.auth.registrations-per-address=0 \
    --aviary.gateway.max-connections-per-address=0 \
    --aviary.capabilities.offline.enabled=false --aviary.capabilities.mam.enabled=false \
    >>"$dir/aviary.log" 2>&1 &
  server_pid=$!
  stop_server="kill $server_pid; wait $server_pid || true"
  listening 5222 120 "$server_pid" || die "Aviary did not start; see $dir/aviary.log"
}

ejabberd_node="sbs-$$@localhost"
ctl() { "$ejabberdctl" --config-dir "$dir/ejabberd" --spool "$dir/ejabberd/db" --logs "$dir/ejabberd/log" \
  --node "$ejabberd_node" "$@"; }

configure_ejabberd() {
  local conf="$dir/ejabberd"
  mkdir -p "$conf/db" "$conf/log"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$conf/key.pem" \
    -out "$conf/certificate.pem" -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
  cat "$conf/certificate.pem" "$conf/key.pem" >"$conf/both.pem"
  cat >"$conf/ejabberd.yml" <<EOF
hosts:
  - localhost
loglevel: warning
certfiles:
  - $conf/both.pem
listen:
  - port: 5222
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls_required: true
    max_stanza_size: 262144
auth_method: internal
auth_password_format: scram
auth_scram_hash: sha256
registration_timeout: infinity
acl:
  local:
    user_regexp: ""
access_rules:
  register:
    allow: all
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_register:
    access: register
    ip_access: all
EOF
  # Erlang's resolver without name servers: nothing here needs DNS.
  printf '{resolv_conf, ""}.\n{lookup, [file, dns]}.\n' >"$conf/inetrc"
  : >"$conf/ejabberdctl.cfg"
  chown -R ejabberd: "$conf"
}

start_ejabberd() {
  ctl foreground >>"$dir/ejabberd.log" 2>&1 &
  local shell=$!
  listening 5222 120 "$shell" || die "ejabberd did not start; see $dir/ejabberd.log and $dir/ejabberd/log"
  # The figures are the Erlang VM's, not the script's that started it.
  server_pid=""
  for p in $(pgrep -f -- "$ejabberd_node" || true); do
    [[ "$(cat /proc/"$p"/comm 2>/dev/null)" == beam.smp ]] && { server_pid=$p; break; }
  done
  [[ -n "$server_pid" ]] || die "no beam.smp process for $ejabberd_node"
  stop_server="ctl stop >/dev/null 2>&1 || true; wait $shell || true; pkill -f -- '$ejabberd_node' || true"
}

# Prosody 0.12 as Debian installs it, set up like the other two: STARTTLS required with an ECDSA certificate,
# SCRAM-SHA-256 (internal_hashed with SHA-256), open in-band registration (loopback is on Prosody's registration
# allow-list), no offline storage, no archive, no server-to-server.
configure_prosody() {
  local conf="$dir/prosody"
  mkdir -p "$conf/data"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$conf/localhost.key" \
    -out "$conf/localhost.crt" -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
  cat >"$conf/prosody.cfg.lua" <<EOF
data_path = "$conf/data"
certificates = "$conf"
log = { warn = "$conf/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { 5222 }
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "register" }
modules_disabled = { "offline", "s2s" }
c2s_require_encryption = true
authentication = "internal_hashed"
password_hash = "SHA-256"
allow_registration = true
storage = "internal"
VirtualHost "localhost"
  ssl = { certificate = "$conf/localhost.crt", key = "$conf/localhost.key" }
EOF
  chown -R prosody: "$conf"
}

start_prosody() {
  # Prosody refuses root; setpriv runs it as its own user in this process, so $! is the server's PID.
  setpriv --reuid=prosody --regid=prosody --init-groups prosody -F --config "$dir/prosody/prosody.cfg.lua" \
    >>"$dir/prosody.log" 2>&1 &
  server_pid=$!
  stop_server="kill $server_pid; wait $server_pid || true"
  listening 5222 60 "$server_pid" || die "Prosody did not start; see $dir/prosody.log and $dir/prosody/prosody.log"
}

trap 'eval "$stop_server"' EXIT

measure() { # name, start function
  local name="$1" start="$2"
  log "$name: provisioning $users accounts"
  "$start"
  generator provision --users "$users" >"$dir/$name-provision.txt"
  # One login per account fills the generator's SCRAM cache for this server's salts, so that the measured logins
  # below cost the generator no PBKDF2 (docs/benchmarks.md, "How it works").
  generator logins --users "$users" --rate 200 --duration "$(((users + 199) / 200))s" --warmup 0s \
    >"$dir/$name-cache-fill.txt"
  # The login storm's generator first warms its own JIT against this server (20 s of the same storm), then waits
  # while the server restarts: the figures are then a fresh server's, not a fresh generator's.
  local mech=SCRAM-SHA-256
  [[ "$name" == aviary ]] || mech="$peer_login_mech"
  generator logins --users "$users" --rate "$login_rate" --duration "$login_duration" --warmup 20s --mech "$mech" \
    --start-file "$dir/$name-started" --json "$dir/$name-logins.json" >"$dir/$name-logins.txt" &
  local storm=$!
  local deadline=$((SECONDS + 120))
  until grep -q "waiting for" "$dir/$name-logins.txt" 2>/dev/null; do
    ((SECONDS < deadline)) && kill -0 "$storm" 2>/dev/null || die "the generator did not warm up; see $dir/$name-logins.txt"
    sleep 0.2
  done
  eval "$stop_server"
  stop_server=""
  while (exec 3<>/dev/tcp/127.0.0.1/5222) 2>/dev/null; do sleep 0.2; done
  log "$name: restarted; logins 10 s after the start, then chat"
  local started=$SECONDS
  "$start"
  sleep $((10 - (SECONDS - started) > 0 ? 10 - (SECONDS - started) : 0))
  echo "$server_pid" >"$dir/$name-started"
  wait "$storm" || die "the login storm failed; see $dir/$name-logins.txt"
  generator chat --users "$users" --rates "$rates" --step "$step" --warmup 10s --grace 5s \
    --server-pid "$server_pid" --json "$dir/$name-chat.json" >"$dir/$name-chat.txt"
  eval "$stop_server"
  stop_server=""
  while (exec 3<>/dev/tcp/127.0.0.1/5222) 2>/dev/null; do sleep 0.2; done
}

measure aviary start_aviary
"configure_$peer"
measure "$peer" "start_$peer"

python3 - "$dir" "$peer" "$peer_login_mech" <<'EOF'
import json, sys
directory, peer, peer_mech = sys.argv[1], sys.argv[2], sys.argv[3]
def load(name, kind):
    with open(f"{directory}/{name}-{kind}.json") as f:
        return json.load(f)
rows = []
def row(figure, ours, theirs, better_low=True):
    ratio = "" if not ours or not theirs else f"{theirs / ours:.2f}×" if better_low else f"{ours / theirs:.2f}×"
    rows.append(f"| {figure} | {ours:.2f} | {theirs:.2f} | {ratio} |")
a, p = load("aviary", "logins"), load(peer, "logins")
logins = "" if peer_mech == "SCRAM-SHA-256" else f" ({peer}: {peer_mech})"
def latency(report, key):
    return report["outcome"]["latency"][key]
for key, label in (("p50Ms", "login p50 ms"), ("p95Ms", "login p95 ms"), ("p99Ms", "login p99 ms")):
    row(label + logins, latency(a, key), latency(p, key))
row("logins/s achieved" + logins, a["achievedPerSecond"], p["achievedPerSecond"], better_low=False)
row(f"server CPU ms per login{logins}", a["server"]["cpuMillisPerLogin"], p["server"]["cpuMillisPerLogin"])
a, p = load("aviary", "chat"), load(peer, "chat")
for ours, theirs, s_ours, s_theirs in zip(a["steps"], p["steps"], a["server"], p["server"]):
    rate = ours["targetRate"]
    row(f"chat {rate}/s: p99 ms", ours["latency"]["p99Ms"], theirs["latency"]["p99Ms"])
    row(f"chat {rate}/s: lost", ours["lost"], theirs["lost"])
    row(f"chat {rate}/s: server CPU µs per message", s_ours["cpuMicrosPerMessage"], s_theirs["cpuMicrosPerMessage"])
    row(f"chat {rate}/s: server resident MB", s_ours["residentMegabytes"], s_theirs["residentMegabytes"])
best = lambda r: r.get("highestCleanRate") or 0
row("highest chat rate with p99 < 50 ms", best(a), best(p), better_low=False)
print(f"| figure | Aviary | {peer} | Aviary's advantage |")
print("|---|---|---|---|")
print("\n".join(rows))
EOF
