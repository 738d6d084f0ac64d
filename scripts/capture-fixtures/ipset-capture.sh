#!/bin/bash
# Captures `ipset list` / `ipset save` from a private netns holding kube-proxy IPVS-mode sets
# (names, types and comments as kube-proxy v1.20+ creates them).
source "$(dirname "$0")/common.sh"
mkns node
S() { inns node ipset "$@"; }
S create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 comment
S add KUBE-CLUSTER-IP 10.96.0.1,tcp:443 comment "default/kubernetes:https"
S add KUBE-CLUSTER-IP 10.96.0.10,udp:53
S add KUBE-CLUSTER-IP 10.96.0.10,tcp:53
S add KUBE-CLUSTER-IP 10.96.0.20,tcp:80
S create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536
S add KUBE-LOOP-BACK 10.244.1.5,tcp:8080,10.244.1.5
S add KUBE-LOOP-BACK 10.244.1.9,udp:53,10.244.1.9
S create KUBE-NODE-PORT-TCP bitmap:port range 0-65535
S add KUBE-NODE-PORT-TCP 30080
S add KUBE-NODE-PORT-TCP 31443
S create KUBE-NODE-PORT-LOCAL-TCP bitmap:port range 0-65535
S create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536
S add KUBE-LOAD-BALANCER-SOURCE-CIDR 203.0.113.10,tcp:80,198.51.100.0/24
S add KUBE-LOAD-BALANCER-SOURCE-CIDR 203.0.113.10,tcp:80,10.0.0.0/8
S create KUBE-LOAD-BALANCER-SOURCE-IP hash:ip,port,ip family inet hashsize 1024 maxelem 65536
S add KUBE-LOAD-BALANCER-SOURCE-IP 203.0.113.10,tcp:80,203.0.113.10
S create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536
S add KUBE-IPVS-IPS 10.96.0.1
S add KUBE-IPVS-IPS 10.96.0.10
S add KUBE-IPVS-IPS 10.96.0.20
S create KUBE-6-CLUSTER-IP hash:ip,port family inet6 hashsize 1024 maxelem 65536
S add KUBE-6-CLUSTER-IP fd00:10:96::1,tcp:443
S add KUBE-6-CLUSTER-IP fd00:10:96::a,udp:53
# kube-proxy truncates set names to 31 characters (IPSET_MAXNAMELEN - 1)
S create KUBE-6-LOAD-BALANCER-SOURCE-CID hash:ip,port,net family inet6 hashsize 1024 maxelem 65536
S add KUBE-6-LOAD-BALANCER-SOURCE-CID 2001:db8::10,tcp:80,2001:db8:1::/48
S create KUBE-NODE-PORT-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536
S add KUBE-NODE-PORT-SCTP-HASH 192.168.0.2,sctp:30999
S create KUBE-HEALTH-CHECK-NODE-PORT bitmap:port range 0-65535
S add KUBE-HEALTH-CHECK-NODE-PORT 32000
S list > "$FIX/ipset/kube-proxy-ipvs.list.txt"
S save > "$FIX/ipset/kube-proxy-ipvs.save.txt"
S list KUBE-NODE-PORT-LOCAL-TCP > "$FIX/ipset/empty-bitmap.list.txt"
echo "ipset fixtures written to $FIX/ipset"
