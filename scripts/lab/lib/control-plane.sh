# The lab's control plane (sourced by lab.sh): Debian's etcd plus the real kube-apiserver and
# kube-controller-manager v1.20.2, all bound to the root side of the underlay ($ROOT_IP), which
# is unique per run, so two labs never fight over a port.

# Tokens, service-account keys and kubeconfigs. The apiserver writes its own self-signed serving
# cert (whose chain includes its CA) into $RUN/pki; clients trust that file.
make_credentials() {
  mkdir -p "$RUN/pki"
  ADMIN_TOKEN=$(openssl rand -hex 24)
  PROXY_TOKEN=$(openssl rand -hex 24)
  # kube-proxy authenticates as system:kube-proxy, which the default RBAC binds to
  # system:node-proxier, exactly as kubeadm does; the admin is in system:masters.
  printf '%s,kubepath-admin,kubepath-admin-uid,"system:masters"\n%s,system:kube-proxy,kube-proxy-uid\n' \
    "$ADMIN_TOKEN" "$PROXY_TOKEN" >"$RUN/pki/tokens.csv"
  # Kubelets (kubelet mode) are system:node:<name> in system:nodes, which the Node authorizer serves.
  local n
  for n in $(jq -r '.nodes[].name' "$SCENARIO"); do
    printf '%s,system:node:%s,kubelet-%s-uid,"system:nodes"\n' "$(openssl rand -hex 24)" "$n" "$n" >>"$RUN/pki/tokens.csv"
  done
  chmod 600 "$RUN/pki/tokens.csv"
  echo "$ADMIN_TOKEN" >"$RUN/admin.token"
  openssl genrsa -out "$RUN/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$RUN/pki/sa.key" -pubout -out "$RUN/pki/sa.pub" 2>/dev/null
  write_kubeconfig "$RUN/kubeconfig" kubepath-admin "$ADMIN_TOKEN"
  write_kubeconfig "$RUN/kube-proxy.kubeconfig" kube-proxy "$PROXY_TOKEN"
}

# $1 file, $2 user name, $3 token
write_kubeconfig() {
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kubepath-lab
  cluster:
    server: $APISERVER
    certificate-authority: $RUN/pki/apiserver.crt
users:
- name: $2
  user:
    token: $3
contexts:
- name: kubepath-lab
  context: { cluster: kubepath-lab, user: $2, namespace: default }
current-context: kubepath-lab
KC
  chmod 600 "$1"
}

start_etcd() {
  spawn etcd etcd --name lab --data-dir "$RUN/etcd" \
    --listen-client-urls "http://$ROOT_IP:2379" --advertise-client-urls "http://$ROOT_IP:2379" \
    --listen-peer-urls "http://$ROOT_IP:2380" --initial-advertise-peer-urls "http://$ROOT_IP:2380" \
    --initial-cluster "lab=http://$ROOT_IP:2380"
}

start_apiserver() {
  # The apiserver retries etcd, so both start at once. The node lifecycle never matters here
  # (no kubelet), and ServiceAccount admission is satisfied by the SAs lab.sh creates itself.
  # api/beta=false: most of the apiserver's cold start is building the OpenAPI spec of every served
  # type; dropping the beta duplicates of GA groups cut that phase from ~13 s to ~9 s on a loaded
  # machine. EndpointSlices are still beta in 1.20 (kube-proxy and the controllers need them), so
  # discovery.k8s.io/v1beta1 stays on. Gone: CronJob and PodDisruptionBudget (beta-only in 1.20).
  spawn kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers="http://$ROOT_IP:2379" \
    --bind-address="$ROOT_IP" --advertise-address="$ROOT_IP" --secure-port=6443 --cert-dir="$RUN/pki" \
    --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$RUN/pki/sa.pub" --service-account-signing-key-file="$RUN/pki/sa.key" \
    --token-auth-file="$RUN/pki/tokens.csv" --authorization-mode=Node,RBAC --allow-privileged=true --kubelet-preferred-address-types=InternalIP \
    --runtime-config=api/beta=false,discovery.k8s.io/v1beta1=true \
    --enable-priority-and-fairness=false --profiling=false --v=1
}

apiserver_ready() {
  [ -s "$RUN/pki/apiserver.crt" ] &&
    curl -sf --cacert "$RUN/pki/apiserver.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$APISERVER/readyz" >/dev/null
}

start_controller_manager() {
  # The endpoint, EndpointSlice, serviceaccount and token controllers are the point. Off:
  # nodelifecycle (no kubelet would keep nodes Ready), nodeipam/route/service (no cloud; the
  # lab sets podCIDR and LoadBalancer status itself).
  spawn kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$RUN/kubeconfig" --service-account-private-key-file="$RUN/pki/sa.key" \
    --root-ca-file="$RUN/pki/apiserver.crt" \
    --controllers='*,-nodelifecycle,-nodeipam,-cloud-node-lifecycle,-route,-service' \
    --leader-elect=false --port=0 --secure-port=0 \
    --cluster-cidr="$CLUSTER_CIDR" --service-cluster-ip-range="$SERVICE_CIDR" --v=1
}
