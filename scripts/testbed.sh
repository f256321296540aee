#!/usr/bin/env bash
# Kitten's test bed: the real components the integration suites run against.
#
#   sudo scripts/testbed.sh
#
# Idempotent: a second run only checks what is already up (seconds). It installs the Debian
# packages that are missing, starts a Docker engine when none answers, builds a small busybox
# image with `docker import` (nothing is pulled from the internet), serves it from a loopback
# registry on 127.0.0.1:5000, starts a private sshd on 127.0.0.1:2222 (the system sshd is left
# alone), and writes what it started to $KITTEN_TESTBED (default /run/kitten-testbed/testbed.json)
# in the TestbedInfo shape of test/support/testbed.ts.
set -euo pipefail

STATE_DIR=/run/kitten-testbed
TESTBED_JSON=${KITTEN_TESTBED:-$STATE_DIR/testbed.json}
DOCKER_SOCK=/var/run/docker.sock
IMAGE=kitten-test/busybox:latest
REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_IMAGE=$REGISTRY_ADDR/$IMAGE
SSH_PORT=2222
SSH_DIR=$STATE_DIR/ssh
PACKAGES=(docker.io openssh-server docker-registry busybox-static iptables tmux docker-compose curl)

say() { printf '%-10s %s\n' "$1:" "$2"; }
die() {
  printf 'testbed: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  hint: %s\n' "$2" >&2
  exit 1
}

# Polls `$@` until it succeeds or `deadline` seconds pass; no fixed sleeps beyond the poll step.
wait_for() {
  local deadline=$1
  shift
  local until=$((SECONDS + deadline))
  while ((SECONDS < until)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

# Starts a daemon detached from this shell, its output in a log file, its pid in a pid file.
start_daemon() {
  local log=$1 pidfile=$2
  shift 2
  setsid nohup "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts dockerd and sshd)" "sudo $0"
mkdir -p "$STATE_DIR"
chmod 755 "$STATE_DIR"

# --- packages --------------------------------------------------------------------------------
missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
# kubectl drives the loopback API server and the kubectl plugin tests; any kubectl will do.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if ((${#missing[@]} > 0)); then
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start the system's docker, sshd or registry: this script starts
  # its own, with its own configuration. policy-rc.d exit 101 tells invoke-rc.d "not now".
  own_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=true
  fi
  trap '[ "$own_policy" = true ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq >"$STATE_DIR/apt.log" 2>&1 || die "apt-get update failed (see $STATE_DIR/apt.log)"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$STATE_DIR/apt.log" 2>&1 ||
    die "apt-get install ${missing[*]} failed (see $STATE_DIR/apt.log)"
  [ "$own_policy" = true ] && rm -f /usr/sbin/policy-rc.d
  trap - EXIT
  say packages "installed ${missing[*]}"
else
  say packages "all present (${PACKAGES[*]})"
fi

# --- docker engine ---------------------------------------------------------------------------
docker_answers() { docker -H "unix://$DOCKER_SOCK" version --format '{{.Server.Version}}'; }
if docker_answers >/dev/null 2>&1; then
  say docker "engine $(docker_answers) answering on unix://$DOCKER_SOCK"
else
  # A stale socket or pid file from a dockerd that died keeps a new one from starting.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  rm -f "$DOCKER_SOCK"
  start_daemon "$STATE_DIR/dockerd.log" "$STATE_DIR/dockerd.pid" dockerd -H "unix://$DOCKER_SOCK"
  if ! wait_for 90 docker_answers; then
    tail -n 5 "$STATE_DIR/dockerd.log" >&2 || true
    die "dockerd did not answer on $DOCKER_SOCK within 90s" "read $STATE_DIR/dockerd.log"
  fi
  say docker "started engine $(docker_answers) on unix://$DOCKER_SOCK (log $STATE_DIR/dockerd.log)"
fi
export DOCKER_HOST="unix://$DOCKER_SOCK"

# --- image -----------------------------------------------------------------------------------
# A busybox rootfs imported as an image: /bin/busybox plus every applet (sh, httpd, nc, sleep,
# wget, ...) as a symlink where busybox itself would install it. $1 is the tag, $2 a marker
# written to /etc/kitten-image so two imports can differ by one layer.
import_busybox() {
  local tag=$1 marker=$2 busybox_bin rootfs
  busybox_bin=$(command -v busybox || true)
  [ -x /bin/busybox ] && busybox_bin=/bin/busybox
  [ -n "$busybox_bin" ] || die "busybox not found" "apt-get install busybox-static"
  rootfs=$(mktemp -d "$STATE_DIR/rootfs.XXXXXX")
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,root,var/www}
  chmod 1777 "$rootfs/tmp"
  cp "$busybox_bin" "$rootfs/bin/busybox"
  while read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$rootfs/$(dirname "$applet")"
    ln -sf /bin/busybox "$rootfs/$applet"
  done < <("$rootfs/bin/busybox" --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  printf '%s\n' "$marker" >"$rootfs/etc/kitten-image"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    - "$tag" >/dev/null
  rm -rf "$rootfs"
}

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say image "$IMAGE present"
else
  import_busybox "$IMAGE" local
  say image "built $IMAGE with docker import"
fi

# --- registry --------------------------------------------------------------------------------
registry_answers() { curl -fsS "http://$REGISTRY_ADDR/v2/" >/dev/null; }
registry_has_image() {
  curl -fsS -o /dev/null \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/kitten-test/busybox/manifests/latest"
}
registry_note="already serving"
if ! registry_answers 2>/dev/null; then
  mkdir -p "$STATE_DIR/registry-data"
  cat >"$STATE_DIR/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  start_daemon "$STATE_DIR/registry.log" "$STATE_DIR/registry.pid" docker-registry serve "$STATE_DIR/registry.yml"
  wait_for 30 registry_answers ||
    die "docker-registry did not answer on $REGISTRY_ADDR within 30s" "read $STATE_DIR/registry.log"
  registry_note="started (log $STATE_DIR/registry.log)"
fi
if ! registry_has_image 2>/dev/null; then
  # Its own import (a different marker, so a different layer): pulling it downloads a layer the
  # engine does not already have, and pull tests see real layer progress.
  import_busybox "$REGISTRY_IMAGE" registry
  docker push -q "$REGISTRY_IMAGE" >/dev/null || die "pushing $REGISTRY_IMAGE failed"
  registry_note="$registry_note, pushed $REGISTRY_IMAGE"
fi
# Pull tests must really pull: no local copy under the registry's name.
docker image rm "$REGISTRY_IMAGE" >/dev/null 2>&1 || true
say registry "http://$REGISTRY_ADDR $registry_note"

# --- sshd ------------------------------------------------------------------------------------
mkdir -p "$SSH_DIR" /run/sshd
chmod 700 "$SSH_DIR"
[ -f "$SSH_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C kitten-testbed-host -f "$SSH_DIR/ssh_host_ed25519_key"
[ -f "$SSH_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C kitten-testbed-client -f "$SSH_DIR/id_ed25519"
cp "$SSH_DIR/id_ed25519.pub" "$SSH_DIR/authorized_keys"
chmod 600 "$SSH_DIR/authorized_keys"
printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1-2 "$SSH_DIR/ssh_host_ed25519_key.pub")" >"$SSH_DIR/known_hosts"
cat >"$SSH_DIR/sshd_config.new" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
MaxStartups 100:30:200
Subsystem sftp internal-sftp
EOF
# A running sshd with an older config is restarted, not signalled: SIGHUP re-execs sshd and
# refuses connections for a moment, which would race the checks below.
config_changed=false
if ! cmp -s "$SSH_DIR/sshd_config.new" "$SSH_DIR/sshd_config"; then config_changed=true; fi
mv "$SSH_DIR/sshd_config.new" "$SSH_DIR/sshd_config"
sshd_path=$(command -v sshd || echo /usr/sbin/sshd)
"$sshd_path" -t -f "$SSH_DIR/sshd_config" || die "sshd rejected $SSH_DIR/sshd_config"
ssh_answers() {
  ssh -q -o BatchMode=yes -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes \
    -i "$SSH_DIR/id_ed25519" -p "$SSH_PORT" root@127.0.0.1 true
}
if [ "$config_changed" = false ] && pid_alive "$SSH_DIR/sshd.pid" && ssh_answers 2>/dev/null; then
  say sshd "already serving 127.0.0.1:$SSH_PORT"
else
  if pid_alive "$SSH_DIR/sshd.pid"; then
    old_pid=$(cat "$SSH_DIR/sshd.pid")
    kill "$old_pid"
    wait_for 10 sh -c "! kill -0 $old_pid" || die "sshd (pid $old_pid) did not stop"
  fi
  # -D keeps it in the foreground of its own session so its pid is the one we record.
  start_daemon "$STATE_DIR/sshd.log" "$SSH_DIR/sshd.pid" "$sshd_path" -D -e -f "$SSH_DIR/sshd_config"
  wait_for 20 ssh_answers || die "sshd on 127.0.0.1:$SSH_PORT did not accept the testbed key within 20s" "read $STATE_DIR/sshd.log"
  say sshd "started on 127.0.0.1:$SSH_PORT (root, key $SSH_DIR/id_ed25519)"
fi
ssh -q -o BatchMode=yes -o UserKnownHostsFile="$SSH_DIR/known_hosts" -i "$SSH_DIR/id_ed25519" -p "$SSH_PORT" \
  root@127.0.0.1 docker version --format '{{.Server.Version}}' >/dev/null ||
  die "docker does not answer through ssh://root@127.0.0.1:$SSH_PORT" "check that docker is on the PATH of a non-interactive ssh session"

# --- testbed.json ----------------------------------------------------------------------------
mkdir -p "$(dirname "$TESTBED_JSON")"
tmp_json=$(mktemp "$(dirname "$TESTBED_JSON")/.testbed.XXXXXX")
cat >"$tmp_json" <<EOF
{
  "docker": { "host": "unix://$DOCKER_SOCK", "image": "$IMAGE" },
  "ssh": {
    "host": "127.0.0.1",
    "port": $SSH_PORT,
    "user": "root",
    "identityFile": "$SSH_DIR/id_ed25519",
    "knownHosts": "$SSH_DIR/known_hosts"
  },
  "registry": { "url": "http://$REGISTRY_ADDR", "image": "$REGISTRY_IMAGE" }
}
EOF
chmod 644 "$tmp_json"
mv "$tmp_json" "$TESTBED_JSON"
say testbed "$TESTBED_JSON"
