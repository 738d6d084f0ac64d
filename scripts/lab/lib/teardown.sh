# Tears a lab down (sourced by lab.sh): ends exactly the processes this run recorded, then anything
# still inside this run's own namespaces (e.g. ssh sessions forked by sshd), deletes those
# namespaces and the one root-netns veth, and removes the run dir unless asked to keep it.

# $1 pid: true while the process exists and is not a zombie.
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

lab_down() {
  [ -d "$RUN" ] || { log "nothing to tear down: $RUN does not exist"; return 0; }
  # shellcheck disable=SC1091
  [ -f "$RUN/lab.env" ] && . "$RUN/lab.env"
  local f pid pids=() ns i
  [ "${KUBELET_MODE:-0}" = 1 ] && kubelet_down
  for f in "$RUN"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    [ "$pid" = $$ ] && continue   # the owner-pid watchdog, now running this very teardown
    alive "$pid" && { kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); }
  done
  for i in $(seq 1 20); do   # up to 1 s for a clean exit; the lab's state is thrown away anyway
    local left=0
    for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    [ $left = 0 ] && break
    sleep 0.05
  done
  for pid in "${pids[@]}"; do
    alive "$pid" && { log "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60)) ignored TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  done
  if [ -f "$RUN/netns.list" ]; then
    for ns in $(tac "$RUN/netns.list"); do
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    done
    for ns in $(tac "$RUN/netns.list"); do ip netns del "$ns" 2>/dev/null || true; done
  fi
  [ "${KUBELET_MODE:-0}" = 1 ] && kubelet_unmount
  [ -n "${ROOT_LINK:-}" ] && ip link del "$ROOT_LINK" 2>/dev/null || true
  if [ "${KEEP_RUN_DIR:-0}" = 1 ]; then log "lab $PREFIX down; run dir kept: $RUN"
  else rm -rf "$RUN"; log "lab ${PREFIX:-?} down"; fi
}
