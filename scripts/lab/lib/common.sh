# Shared helpers for lab.sh: logging, run-dir layout, process bookkeeping, API calls.
# Sourced, not executed. Every process the lab starts is recorded in $RUN/pids/<name>.pid and every
# namespace in $RUN/netns.list, so `down` ends exactly what this run started and nothing else.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$LAB_DIR/../.." && pwd)
SCENARIO=$LAB_DIR/scenario.json
K8S_BIN=${KUBEPATH_K8S_BIN:-/var/cache/kubepath/k8s-v1.20.2/bin}
T0=${T0:-$(date +%s%N)}

elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10)); }
log() { printf '[lab %6ss] %s\n' "$(elapsed)" "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a long-lived process in the background, in its own session (so a terminal Ctrl-C reaches
# lab.sh's trap, not the daemons directly), logging to $RUN/logs/<name>.log; records its PID.
# The command must exec its way down (ip netns exec / unshare / sh -c 'exec ...') so that $! is
# the daemon's own PID.
spawn() {
  local name=$1; shift
  setsid "$@" >"$RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/pids/$name.pid"
  disown $!   # no "Killed ..." job report from bash when `down` ends it
}

pid_of() { cat "$RUN/pids/$1.pid" 2>/dev/null; }

# Creates a network namespace and remembers it for teardown.
add_netns() {
  ip netns add "$1"
  echo "$1" >>"$RUN/netns.list"
  ip -n "$1" link set lo up
}

# api METHOD PATH [BODY] [CONTENT-TYPE]: the lab's admin client (curl, token over TLS).
# curl rather than kubectl: ~10 ms a call instead of ~200 ms, and no version-skew warning.
api() {
  local method=$1 path=$2 body=${3:-} ctype=${4:-application/json}
  local args=(-sS --fail-with-body --cacert "$RUN/pki/apiserver.crt" -H "Authorization: Bearer $ADMIN_TOKEN"
              -X "$method" "$APISERVER$path")
  [ -n "$body" ] && args+=(-H "Content-Type: $ctype" --data-binary "$body")
  curl "${args[@]}"
}

# wait_until SECONDS DESCRIPTION CMD...: polls CMD every 50 ms; fails with DESCRIPTION on timeout.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline; deadline=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || die "timed out after ${limit}s waiting for $what"
    sleep 0.05
  done
}

# The lab's per-run parameters, persisted so `down` (possibly another process) can find them.
save_env() {
  cat >"$RUN/lab.env" <<ENV
PREFIX=$PREFIX
NET=$NET
ROOT_IP=$ROOT_IP
EXT_IP=$EXT_IP
ROOT_LINK=$ROOT_LINK
APISERVER=$APISERVER
KUBELET_MODE=${KUBELET_MODE:-0}
ENV
}
