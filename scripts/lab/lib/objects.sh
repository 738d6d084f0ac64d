# The lab's API objects (sourced by lab.sh), created through the real apiserver from scenario.json.
# In the default mode pods are never run by a kubelet: lab.sh starts their processes itself and then reports them
# through the status subresource (IP, Ready, containerStatuses) as kubelet would (in the kubelet
# mode the real kubelets run them from the lab's images and report them), so the real
# endpoint and EndpointSlice controllers, and then the real kube-proxy, do the rest.
# One jq run shapes every request (lib/objects.jq); api-apply.mjs sends them in ordered waves.

create_api_objects() {
  local corefile
  corefile=$(printf '.:53 {\n    errors\n    health {\n        lameduck 5s\n    }\n    ready\n    kubernetes %s in-addr.arpa ip6.arpa {\n        pods insecure\n        fallthrough in-addr.arpa ip6.arpa\n        ttl 30\n    }\n    prometheus :9153\n    forward . %s {\n        max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n' "$CLUSTER_DOMAIN" "$EXT_IP")
  jq -c --arg net "$NET" --arg now "$(date -u +%FT%TZ)" --arg corefile "$corefile" \
    --arg kubelet "${KUBELET_MODE:-0}" --arg dnsdir "$RUN/dns" \
    -f "$LAB_DIR/lib/objects.jq" "$SCENARIO" >"$RUN/api-requests.jsonl"
  node "$LAB_DIR/api-apply.mjs" "$APISERVER" "$RUN/pki/apiserver.crt" "$RUN/admin.token" "$RUN/api-requests.jsonl"
}
