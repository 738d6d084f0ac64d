#!/bin/bash
# This kernel has no CONFIG_IP_VS. The only real ipvsadm output we can capture is the error a
# node without IPVS prints; the table fixtures are hand-written in ipvsadm 1.31's exact format.
source "$(dirname "$0")/common.sh"
mkns node
set +e
inns node ipvsadm -Ln > "$FIX/ipvsadm/no-ipvs.txt" 2>&1
echo "ipvsadm rc=$? (expected 2: no ip_vs in this kernel)"
