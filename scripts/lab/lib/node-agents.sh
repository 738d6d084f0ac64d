# What runs "on" each lab node (sourced by lab.sh): a real OpenSSH sshd with its own host key and
# UTS hostname, the real kube-proxy in iptables mode, a CNI conflist in a per-node directory, and,
# on a node that asks for it, a host firewall rule placed before kube-proxy's.

make_ssh_client_key() {
  mkdir -p "$RUN/ssh"
  ssh-keygen -q -t ed25519 -N '' -C kubepath-lab -f "$RUN/ssh/id_ed25519"
  cp "$RUN/ssh/id_ed25519.pub" "$RUN/ssh/authorized_keys"
  : >"$RUN/ssh/known_hosts"
  mkdir -p /run/sshd && chmod 755 /run/sshd   # sshd refuses to start without its privsep dir
}

# $1 node name, $2 underlay address
start_sshd() {
  local d=$RUN/nodes/$1
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N '' -C "$1" -f "$d/ssh_host_ed25519_key"
  echo "$2 $(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >>"$RUN/ssh/known_hosts"
  printf '%s %s 22\n' "$1" "$2" >>"$RUN/ssh/nodes.txt"
  # `ssh -F <run>/ssh/config node-1` for humans; strict host key checking against the lab's known_hosts.
  printf 'Host %s\n  HostName %s\n  User root\n  IdentityFile %s\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  IdentitiesOnly yes\n' \
    "$1" "$2" "$RUN/ssh/id_ed25519" "$RUN/ssh/known_hosts" >>"$RUN/ssh/config"
  # StrictModes no: the run dir may sit under /tmp, which StrictModes rejects.
  cat >"$d/sshd_config" <<CFG
Port 22
ListenAddress $2
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
AuthorizedKeysFile $RUN/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
Subsystem sftp internal-sftp
LogLevel VERBOSE
CFG
  /usr/sbin/sshd -t -f "$d/sshd_config"
  # unshare --uts: the node gets its own hostname, so `ssh node hostname` names the node; --mount
  # with a private bind of the node's resolv.conf, so sessions see the node's resolver, not the host's.
  spawn "sshd-$1" ip netns exec "$PREFIX-$1" unshare --uts --mount \
    sh -c "hostname $1 && mount --bind $d/etc/resolv.conf /etc/resolv.conf && exec /usr/sbin/sshd -D -e -f $d/sshd_config"
}

# $1 node name, $2 pod CIDR. Written where /etc/cni/net.d would be on a real node, inside the run
# dir: the real /etc/cni is never touched. Shape follows Calico's installed conflist.
write_cni_conf() {
  local d=$RUN/nodes/$1/etc/cni/net.d
  mkdir -p "$d"
  jq -n --arg node "$1" --arg cidr "$2" --arg kc "$RUN/kubeconfig" '{
    name: "k8s-pod-network", cniVersion: "0.3.1",
    plugins: [
      { type: "calico", log_level: "info", datastore_type: "kubernetes", nodename: $node, mtu: 1440,
        ipam: { type: "host-local", subnet: $cidr },
        policy: { type: "k8s" }, kubernetes: { kubeconfig: $kc } },
      { type: "portmap", snat: true, capabilities: { portMappings: true } },
      { type: "bandwidth", capabilities: { bandwidth: true } }
    ] }' >"$d/10-calico.conflist"
}

# $1 node name, $2 underlay address
start_kube_proxy() {
  # conntrack-* = 0: leave the conntrack sysctls alone (they are partly global, not per netns).
  spawn "kube-proxy-$1" ip netns exec "$PREFIX-$1" "$K8S_BIN/kube-proxy" \
    --kubeconfig="$RUN/kube-proxy.kubeconfig" --hostname-override="$1" --bind-address="$2" \
    --proxy-mode=iptables --cluster-cidr="$CLUSTER_CIDR" \
    --conntrack-max-per-core=0 --conntrack-tcp-timeout-established=0 --conntrack-tcp-timeout-close-wait=0 \
    --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256 --v=1
}

# $1 node name: true once kube-proxy has programmed a KUBE-SVC chain for every ClusterIP Service
# that has endpoints in the scenario (the comment "ns/name:port" is kube-proxy's own).
kube_proxy_synced() {
  local rules; rules=$(ip netns exec "$PREFIX-$1" iptables-save -t nat 2>/dev/null) || return 1
  grep -q 'default/web:http cluster IP' <<<"$rules" && grep -q 'kube-system/kube-dns:dns cluster IP' <<<"$rules" \
    && grep -q 'default/local-only:http loadbalancer IP' <<<"$rules" && grep -q 'shop/cart:http cluster IP' <<<"$rules" \
    && grep -q 'default/fanout:http cluster IP' <<<"$rules"
}

# $1 node name, $2 pod IP, $3 port, $4 comment. Inserted at the head of filter FORWARD after
# kube-proxy has added its own jumps, so it is evaluated first; kube-proxy's periodic EnsureRule
# only checks that its jumps exist, so it never moves them in front of this rule.
add_host_firewall() {
  ip netns exec "$PREFIX-$1" iptables -w -I FORWARD 1 -d "$2/32" -p tcp --dport "$3" \
    -m comment --comment "$4" -j DROP
}
