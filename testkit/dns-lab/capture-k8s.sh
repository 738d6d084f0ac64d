#!/bin/bash
# Captures REAL `kubectl get services|endpointslices|pods -A -o json` output for the DNS fixtures:
# starts etcd + kube-apiserver + kube-controller-manager v1.20.2 on loopback (random ports, temp
# dir), creates the docs/dns-semantics.md §6 objects, lets the real EndpointSlice controller publish
# the slices (discovery.k8s.io/v1beta1 on 1.20), and writes the lists to $OUT. Cleans up on exit.
# usage: capture-k8s.sh OUTDIR
set -euo pipefail
OUT=$(realpath "${1:?usage: capture-k8s.sh OUTDIR}")
BIN=${K8S_BIN:-/var/cache/kubepath/k8s-v1.20.2/bin}
D=$(mktemp -d /tmp/kp-dns-k8s-XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$D"; }
trap cleanup EXIT
P=$((20000 + RANDOM % 20000))
ETCD_C=$P; ETCD_P=$((P + 1)); API=$((P + 2))
etcd --name cp --data-dir "$D/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_C" --advertise-client-urls "http://127.0.0.1:$ETCD_C" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_P" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_P" \
  --initial-cluster "cp=http://127.0.0.1:$ETCD_P" > "$D/etcd.log" 2>&1 & PIDS+=($!)
openssl genrsa -out "$D/sa.key" 2048 2>/dev/null; openssl rsa -in "$D/sa.key" -pubout -out "$D/sa.pub" 2>/dev/null
echo 'dns-capture-token,admin,admin-uid,"system:masters"' > "$D/tokens.csv"
"$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_C" --bind-address=127.0.0.1 --advertise-address=192.0.2.1 \
  --secure-port=$API --cert-dir="$D/certs" --service-cluster-ip-range=10.96.0.0/12 \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local --service-account-key-file="$D/sa.pub" \
  --service-account-signing-key-file="$D/sa.key" --token-auth-file="$D/tokens.csv" --authorization-mode=RBAC > "$D/apiserver.log" 2>&1 & PIDS+=($!)
cat > "$D/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:$API", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: dns-capture-token}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
KC
k() { kubectl --kubeconfig "$D/kubeconfig" "$@" 2>/dev/null; }
for i in $(seq 1 120); do k get --raw /readyz >/dev/null && break; sleep 0.5; done
k get --raw /readyz >/dev/null || { echo "apiserver not ready; see log:" >&2; tail -20 "$D/apiserver.log" >&2; exit 1; }
"$BIN/kube-controller-manager" --kubeconfig="$D/kubeconfig" --service-account-private-key-file="$D/sa.key" \
  --controllers='*,-nodelifecycle,-nodeipam,-cloud-node-lifecycle,-route,-service' --leader-elect=false --port=0 --secure-port=0 \
  --cluster-cidr=10.244.0.0/16 --service-cluster-ip-range=10.96.0.0/12 > "$D/kcm.log" 2>&1 & PIDS+=($!)
k create namespace app >/dev/null; k create namespace prod >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {kubernetes.io/hostname: node-1}}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {clusterIP: 10.96.0.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {clusterIP: 10.96.12.34, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: prod}
spec: {clusterIP: None, selector: {app: db}, ports: [{name: pg, port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: warmup, namespace: prod}
spec: {clusterIP: None, publishNotReadyAddresses: true, selector: {app: warmup}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: prod}
spec: {type: ExternalName, externalName: api.partner.example}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: app}
spec: {clusterIP: 10.96.40.1, selector: {app: cache}, ports: [{port: 6379}]}
YAML
pod() { # ns name labels ip ready [hostname subdomain]
  local extra=""
  [ -n "${6:-}" ] && extra="hostname: $6, subdomain: $7,"
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $2, namespace: $1, labels: {$3}}
spec: {$extra nodeName: node-1, automountServiceAccountToken: false, containers: [{name: c, image: busybox}]}
YAML
  k -n "$1" patch pod "$2" --subresource=status --type=merge -p "{\"status\":{\"phase\":\"Running\",\"podIP\":\"$4\",\"podIPs\":[{\"ip\":\"$4\"}],\"hostIP\":\"192.0.2.11\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$5\"}]}}" >/dev/null
}
for i in $(seq 1 60); do k -n prod get serviceaccount default >/dev/null && k -n app get serviceaccount default >/dev/null && k -n kube-system get serviceaccount default >/dev/null && break; sleep 0.5; done
pod kube-system coredns-1 "k8s-app: kube-dns" 10.244.1.2 True
pod kube-system coredns-2 "k8s-app: kube-dns" 10.244.2.3 True
pod prod web-1 "app: web" 10.244.4.5 True
pod prod web-2 "app: web" 10.244.4.6 True
pod prod db-0 "app: db" 10.244.3.10 True db-0 db
pod prod db-1 "app: db" 10.244.3.11 True db-1 db
pod prod db-2 "app: db" 10.244.3.12 False db-2 db
pod prod warmup-0 "app: warmup" 10.244.3.20 False
pod app cache-1 "app: cache" 10.244.6.7 True
# Wait until the real EndpointSlice controller has published every endpoint (9 pod addresses).
for i in $(seq 1 60); do
  n=$(k get endpointslices -A -o json | jq '[.items[].endpoints // [] | length] | add // 0')
  [ "$n" -ge 9 ] && break; sleep 0.5
done
k get services -A -o json > "$OUT/services.json"
k get endpointslices -A -o json > "$OUT/endpointslices.json"
k get pods -A -o json > "$OUT/pods.json"
echo "captured from kube-apiserver $("$BIN/kube-apiserver" --version) into $OUT (endpoint addresses: $n)"
