#!/usr/bin/env bash
# Writes a container image as an OCI image-layout tar that `ctr images import` loads, without a
# docker daemon or a registry (neither exists here): one gzip'd layer made from a root filesystem
# directory, an image config, a manifest, index.json naming the image, and oci-layout.
#
#   oci-archive.sh ROOTFS_DIR IMAGE_REF OUT.tar [--entrypoint JSON_ARRAY] [--cmd JSON_ARRAY]
#                  [--env JSON_ARRAY] [--workdir DIR]
# e.g. oci-archive.sh /tmp/pause-root kubepath.local/pause:3.4.1 pause.tar --entrypoint '["/pause"]'
#
# The layer is reproducible (sorted names, fixed mtime and owner), so the same tree gives the
# same digest and a re-import is a no-op.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '6,7p' "$0" >&2; exit 2; }
ROOTFS=$1 REF=$2 OUT=$3; shift 3
ENTRYPOINT=null CMD=null ENV='["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]' WORKDIR=/
while [ $# -gt 0 ]; do
  case $1 in
    --entrypoint) ENTRYPOINT=$2 ;;
    --cmd) CMD=$2 ;;
    --env) ENV=$2 ;;
    --workdir) WORKDIR=$2 ;;
    *) echo "oci-archive.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -d "$ROOTFS" ] || { echo "oci-archive.sh: $ROOTFS is not a directory" >&2; exit 2; }

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
B=$W/blobs/sha256; mkdir -p "$B"
# blob FILE: moves FILE into blobs/ under its digest; prints "<digest> <size>".
blob() { local d s; d=$(sha256sum "$1" | cut -d' ' -f1); s=$(stat -c %s "$1"); mv "$1" "$B/$d"; echo "$d $s"; }

tar -C "$ROOTFS" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$W/layer.tar" .
DIFF_ID=$(sha256sum "$W/layer.tar" | cut -d' ' -f1)
gzip -n -6 "$W/layer.tar"
read -r LAYER LAYER_SIZE < <(blob "$W/layer.tar.gz")

jq -n --argjson ep "$ENTRYPOINT" --argjson cmd "$CMD" --argjson env "$ENV" --arg wd "$WORKDIR" --arg diff "sha256:$DIFF_ID" '{
  architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
  config: ({Env: $env, WorkingDir: $wd} + (if $ep then {Entrypoint: $ep} else {} end) + (if $cmd then {Cmd: $cmd} else {} end)),
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created: "1970-01-01T00:00:00Z", created_by: "kubepath scripts/lab/images/oci-archive.sh"}] }' >"$W/config.json"
read -r CONFIG CONFIG_SIZE < <(blob "$W/config.json")

jq -n --arg c "sha256:$CONFIG" --argjson cs "$CONFIG_SIZE" --arg l "sha256:$LAYER" --argjson ls "$LAYER_SIZE" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}] }' >"$W/manifest.json"
read -r MANIFEST MANIFEST_SIZE < <(blob "$W/manifest.json")

jq -n --arg m "sha256:$MANIFEST" --argjson ms "$MANIFEST_SIZE" --arg ref "$REF" '{
  schemaVersion: 2,
  manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
    platform: {architecture: "amd64", os: "linux"},
    annotations: {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $ref}}] }' >"$W/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$W/oci-layout"
tar -C "$W" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$OUT" oci-layout index.json blobs
echo "$OUT"
