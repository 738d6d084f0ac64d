#!/bin/bash
# Captures `nft list ruleset` (plain, -a, -j) of (1) a kube-proxy nftables-mode table loaded with
# nft -f and (2) the nft view of an iptables-nft kube-proxy ruleset, each in a private netns.
source "$(dirname "$0")/common.sh"
IN="$(dirname "$0")/inputs"
mkns nft
inns nft nft -f "$IN/nft-kube-proxy.nft"
# A live affinity element shows how nft prints dynamic-set state (`timeout 3h expires ...`).
inns nft nft add element ip kube-proxy 'affinity-XPZKBBNL-default/sticky/tcp/__10.244.1.9/80' '{ 192.168.0.50 timeout 3h }'
# `expires` counts down; strip the seconds so re-captures are stable.
inns nft nft list ruleset | sed -E 's/expires [0-9hms]+/expires 2h59m59s/' > "$FIX/nft/kube-proxy-nftables.txt"
inns nft nft -a list ruleset | sed -E 's/expires [0-9hms]+/expires 2h59m59s/' > "$FIX/nft/kube-proxy-nftables.handles.txt"
inns nft nft -j list ruleset | sed -E 's/"expires": ?[0-9]+/"expires":10799/' > "$FIX/nft/kube-proxy-nftables-json.txt"
mkns ipt
inns ipt iptables-nft-restore < "$IN/iptables-kube-proxy.rules"
# nft writes the "managed by iptables-nft" warnings to stderr; agents capture 2>&1, so keep both forms.
inns ipt nft list ruleset > "$FIX/nft/iptables-nft-kube-proxy.txt" 2>/dev/null
inns ipt nft list ruleset > "$FIX/nft/iptables-nft-kube-proxy.merged.txt" 2>&1
inns ipt nft -j list ruleset > "$FIX/nft/iptables-nft-kube-proxy-json.txt"
echo "nft fixtures written to $FIX/nft"
