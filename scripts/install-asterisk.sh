#!/usr/bin/env bash
# install-asterisk.sh - installs Asterisk and SIPp from Debian packages.
#
#   scripts/install-asterisk.sh [--version 22|16] [--chroot DIR]
#
# --version 22 (default, production target): Asterisk 22 LTS from Debian sid,
#   installed into a minbase sid chroot (Asterisk is not in bookworm).
#   Run it as:  chroot <DIR> asterisk -C <conf dir inside the chroot>/asterisk.conf -f -n
#   The chroot shares the host's network (loopback included); nothing is
#   mounted into it (Asterisk runs without /proc, /sys or /dev/pts).
#   DIR defaults to $ASTERISK_CHROOT or /opt/callcenter/asterisk-22.
# --version 16 (compatibility): Asterisk 16 from bullseye-security, installed
#   on the host itself (bullseye suites added to apt, pinned at priority 100).
#
# Also installs SIPp (package sip-tester) on the host, and sox with its MP3 format
# (sox, libsox-fmt-mp3): the server converts uploaded audio files with it.
# Idempotent: when everything is already there it only checks and prints.
# Progress goes to stderr; stdout gets KEY=VALUE lines a server or CI can read:
#   ASTERISK_VERSION ASTERISK_CHROOT ASTERISK_BINARY ASTERISK_MODULES_DIR
#   ASTERISK_DATA_DIR SIPP_BINARY SIPP_VERSION
# Mirrors: taken from the host's apt sources; override with DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR.
set -euo pipefail

VERSION=22
CHROOT_DIR=${ASTERISK_CHROOT:-/opt/callcenter/asterisk-22}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

while (($#)); do
  case $1 in
    --version) VERSION=${2:?--version needs a value}; shift 2 ;;
    --version=*) VERSION=${1#*=}; shift ;;
    --chroot) CHROOT_DIR=${2:?--chroot needs a value}; shift 2 ;;
    --chroot=*) CHROOT_DIR=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-asterisk: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { echo "install-asterisk: $*" >&2; }
die() { echo "install-asterisk: ERROR: $*" >&2; exit 1; }

[[ $VERSION == 22 || $VERSION == 16 ]] || die "--version must be 22 or 16 (got '$VERSION')"
[[ $EUID -eq 0 ]] || die "must run as root"
command -v apt-get >/dev/null || die "needs a Debian host (apt-get not found)"

export DEBIAN_FRONTEND=noninteractive
APT_INSTALL=(apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
WORK=$(mktemp -d)
cleanup() {
  [[ -n ${POLICY_RC_CREATED:-} ]] && rm -f /usr/sbin/policy-rc.d
  rm -rf "$WORK"
}
trap cleanup EXIT

# run DESCRIPTION CMD... : run quietly, show the output only if it fails
run() {
  local what=$1; shift
  if ! "$@" >"$WORK/out" 2>&1; then
    tail -n 40 "$WORK/out" >&2
    die "$what failed: $*"
  fi
}

# ---------------------------------------------------------------- host apt
HOST_APT_UPDATED=
host_apt_update() {
  [[ -n $HOST_APT_UPDATED ]] && return 0
  log "apt-get update (host)"
  run "apt-get update" apt-get -qq update
  HOST_APT_UPDATED=1
}

installed() { # installed ROOT PKG... : true if every package is installed in ROOT
  local root=$1; shift
  local p
  for p; do
    [[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || return 1
  done
}

host_install() { # host_install PKG... : installs the missing ones
  local missing=() p
  for p; do installed / "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  host_apt_update
  log "installing on the host: ${missing[*]}"
  run "apt-get install ${missing[*]}" "${APT_INSTALL[@]}" "${missing[@]}"
}

# ---------------------------------------------------------------- mirrors
# mirror_from_sources security|main : first matching URI of the host's apt sources
mirror_from_sources() {
  local want=$1 f
  shopt -s nullglob
  # deb822 files (Debian 12 default: /etc/apt/sources.list.d/debian.sources)
  for f in /etc/apt/sources.list.d/*.sources; do
    awk -v want="$want" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          if (line ~ /^Types:/)   { sub(/^Types:[ \t]*/, "", line); types = line }
          if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = line }
          if (line ~ /^Enabled:/) { sub(/^Enabled:[ \t]*/, "", line); enabled = line }
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        split(uris, u, /[ \t]+/)
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) {
          sec = (s[j] ~ /-security$/)
          if ((want == "security" && sec) || (want == "main" && !sec && s[j] !~ /-(updates|backports|proposed-updates)$/)) { print u[1]; exit }
        }
      }' "$f"
  done
  # one-line format
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    awk -v want="$want" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        uri = $i; suite = $(i + 1)
        sec = (suite ~ /-security$/ || suite ~ /\/updates$/)
        if ((want == "security" && sec) || (want == "main" && !sec && suite !~ /-(updates|backports|proposed-updates)$/)) { print uri; exit }
      }' "$f"
  done
  shopt -u nullglob
}

main_mirror() {
  local m=${DEBIAN_MIRROR:-}
  [[ -n $m ]] || m=$(mirror_from_sources main | head -n 1)
  [[ -n $m ]] || m=http://deb.debian.org/debian
  echo "${m%/}"
}

security_mirror() {
  local m=${DEBIAN_SECURITY_MIRROR:-}
  [[ -n $m ]] || m=$(mirror_from_sources security | head -n 1)
  [[ -n $m ]] || m=http://deb.debian.org/debian-security
  echo "${m%/}"
}

# ---------------------------------------------------------------- SIPp
install_sipp() {
  if ! command -v sipp >/dev/null || ! installed / sip-tester; then
    host_install sip-tester
  fi
  command -v sipp >/dev/null || die "sipp not found after installing sip-tester"
  [[ -r /usr/share/sip-tester/dtmf_2833_1.pcap ]] || die "sip-tester has no DTMF captures in /usr/share/sip-tester"
  [[ $(sipp_banner) == *PCAP* ]] || die "this sipp was built without PCAP play support"
}

# ---------------------------------------------------------------- sox
install_sox() {
  host_install sox libsox-fmt-mp3
  command -v sox >/dev/null || die "sox not found after installing it"
}

sipp_banner() { sipp -v 2>&1 || true; } # sipp -v exits 99
sipp_version() { sipp_banner | sed -n 's/.*SIPp v\([0-9.]*\).*/\1/p' | head -n 1; }

# ---------------------------------------------------------------- Asterisk 22 (sid chroot)
# sounds and MOH: English core prompts and the opsound MOH, as wav and gsm
# (Debian ships no ulaw build of them; wav is 8 kHz slin, transcoded for free)
SOUND_PKGS=(asterisk-core-sounds-en-wav asterisk-core-sounds-en-gsm
  asterisk-moh-opsound-wav asterisk-moh-opsound-gsm)
CORE_PKGS=(asterisk asterisk-modules asterisk-config)

modules_dir_in() { # modules_dir_in ROOT -> path as seen inside ROOT
  local root=${1%/} d
  for d in "$root"/usr/lib/*/asterisk/modules "$root"/usr/lib/asterisk/modules; do
    if [[ -e $d/app_stasis.so ]]; then
      echo "${d#"$root"}"
      return 0
    fi
  done
  return 1
}

chroot_ready() {
  local root=$1
  [[ -x $root/usr/sbin/asterisk && -f $root/.callcenter-debootstrap-ok ]] || return 1
  installed "$root" "${CORE_PKGS[@]}" || return 1
  # sounds/en is an absolute symlink (update-alternatives): resolve it inside the chroot
  chroot "$root" /bin/sh -c 'ls /usr/share/asterisk/sounds/en/hello-world.* && ls /usr/share/asterisk/moh/*.wav /usr/share/asterisk/moh/*.gsm' >/dev/null 2>&1 || return 1
  modules_dir_in "$root" >/dev/null
}

umount_below() { # unmount anything a failed debootstrap left mounted under $1
  local root=${1%/} m
  { awk '{print $2}' /proc/mounts | grep -E "^${root}(/|$)" || true; } | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}

ensure_dev_nodes() { # Asterisk needs /dev/null, /dev/zero, /dev/urandom, /dev/random
  local root=$1 spec name major minor
  mkdir -p "$root/dev"
  for spec in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$spec"
    if [[ ! -c $root/dev/$name ]]; then
      rm -f "$root/dev/$name"
      mknod -m 666 "$root/dev/$name" c "$major" "$minor" || die "cannot create $root/dev/$name (mknod not allowed?)"
    fi
  done
}

sync_host_files() { # name resolution inside the chroot = the host's
  local root=$1 f
  # Asterisk looks up the host name (RTCP local address); without an
  # /etc/hosts in the chroot that becomes a DNS query on every call.
  for f in /etc/hosts /etc/resolv.conf; do
    if [[ -r $f ]] && ! cmp -s "$f" "$root$f"; then
      rm -f "$root$f"
      cp -L "$f" "$root$f"
    fi
  done
}

install_22() {
  local root=${CHROOT_DIR%/}
  [[ $root == /* && $root != / ]] || die "--chroot must be an absolute path other than / (got '$CHROOT_DIR')"

  if chroot_ready "$root"; then
    log "Asterisk already installed in $root"
  else
    local mirror
    mirror=$(main_mirror)
    if [[ ! -f $root/.callcenter-debootstrap-ok ]]; then
      if [[ -d $root ]] && [[ -n $(ls -A "$root" 2>/dev/null) ]]; then
        # only ever delete what an earlier, interrupted run of ours created
        [[ -d $root/debootstrap || -f $root/.callcenter-debootstrap-started ]] ||
          die "$root exists, is not empty and is not an unfinished chroot of this script; remove it or pick --chroot"
        log "removing the unfinished chroot in $root"
        umount_below "$root"
        rm -rf --one-file-system "$root"
      fi
      host_install debootstrap
      mkdir -p "$root"
      touch "$root/.callcenter-debootstrap-started"
      log "debootstrap --variant=minbase sid $root $mirror (about 30 s)"
      if ! debootstrap --variant=minbase sid "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
        tail -n 40 "$WORK/debootstrap.log" >&2
        [[ -f $root/debootstrap/debootstrap.log ]] && tail -n 20 "$root/debootstrap/debootstrap.log" >&2
        umount_below "$root"
        die "debootstrap failed"
      fi
      umount_below "$root"
      rm -f "$root/.callcenter-debootstrap-started"
      touch "$root/.callcenter-debootstrap-ok"
    fi

    ensure_dev_nodes "$root"
    sync_host_files "$root"
    # packages must not try to start services inside the chroot
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    echo "deb $mirror sid main" >"$root/etc/apt/sources.list"

    log "apt-get update (chroot)"
    # the sid Release file reads as expired on snapshot-style mirrors
    run "apt-get update in the chroot" chroot "$root" apt-get -qq -o Acquire::Check-Valid-Until=false update

    local pkgs=("${CORE_PKGS[@]}") p have_sounds="" have_moh=""
    for p in "${SOUND_PKGS[@]}"; do
      if chroot "$root" apt-cache show "$p" >/dev/null 2>&1; then
        pkgs+=("$p")
        [[ $p == asterisk-core-sounds-* ]] && have_sounds=1
        [[ $p == asterisk-moh-* ]] && have_moh=1
      fi
    done
    [[ -n $have_sounds ]] || die "no asterisk-core-sounds-en-{wav,gsm} package in sid"
    [[ -n $have_moh ]] || die "no asterisk-moh-opsound-{wav,gsm} package in sid"

    log "installing in the chroot: ${pkgs[*]} (about 15 s)"
    run "apt-get install in the chroot" chroot "$root" "${APT_INSTALL[@]}" "${pkgs[@]}"
    chroot "$root" apt-get clean
    chroot_ready "$root" || die "Asterisk is still incomplete in $root after installing"
  fi

  ensure_dev_nodes "$root"
  sync_host_files "$root"

  local version moddir
  version=$(chroot "$root" /usr/sbin/asterisk -V 2>/dev/null | sed -n 's/^Asterisk //p')
  [[ -n $version ]] || die "chroot $root /usr/sbin/asterisk -V does not run"
  moddir=$(modules_dir_in "$root")

  install_sipp
  install_sox
  print_summary "$version" "$root" /usr/sbin/asterisk "$moddir" /usr/share/asterisk
}

# ---------------------------------------------------------------- Asterisk 16 (host, bullseye-security)
install_16() {
  local list=/etc/apt/sources.list.d/callcenter-bullseye.sources
  local pin=/etc/apt/preferences.d/callcenter-bullseye
  local main sec
  main=$(main_mirror)
  sec=$(security_mirror)

  cat >"$WORK/sources" <<EOF
# Added by scripts/install-asterisk.sh --version 16: Asterisk 16 comes from
# bullseye-security. Pinned at priority 100 (see $pin) so nothing else is
# taken from bullseye unless a bullseye package needs it.
Types: deb
URIs: $main
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
Check-Valid-Until: no

Types: deb
URIs: $sec
Suites: bullseye-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
Check-Valid-Until: no
EOF
  cat >"$WORK/pin" <<'EOF'
# Added by scripts/install-asterisk.sh --version 16
Package: *
Pin: release n=bullseye
Pin-Priority: 100

Package: *
Pin: release n=bullseye-security
Pin-Priority: 100
EOF
  local changed=
  cmp -s "$WORK/sources" "$list" || { install -m 644 "$WORK/sources" "$list"; changed=1; }
  cmp -s "$WORK/pin" "$pin" || { install -m 644 "$WORK/pin" "$pin"; changed=1; }
  [[ -n $changed ]] && HOST_APT_UPDATED=

  local want=
  if [[ -z $changed ]] && installed / "${CORE_PKGS[@]}" &&
    [[ $(dpkg-query -W -f='${Version}' asterisk) == *deb11* || $(dpkg-query -W -f='${Version}' asterisk) == 1:16.* ]]; then
    log "Asterisk 16 already installed on the host"
  else
    host_apt_update
    want=$(apt-cache madison asterisk | awk -F'|' '$3 ~ /bullseye-security/ { gsub(/ /, "", $2); print $2; exit }')
    [[ -n $want ]] || die "no asterisk package in bullseye-security at $sec"
    local have
    have=$(dpkg-query -W -f='${Version}' asterisk 2>/dev/null || true)
    if [[ $have != "$want" ]] || ! installed / "${CORE_PKGS[@]}"; then
      local pkgs=(asterisk="$want" asterisk-modules="$want" asterisk-config="$want") p
      for p in "${SOUND_PKGS[@]}"; do
        apt-cache show "$p" >/dev/null 2>&1 && pkgs+=("$p")
      done
      # the package would start a system-wide Asterisk with /etc/asterisk;
      # the server runs its own instances, so keep the service from starting
      if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
      fi
      log "installing on the host: ${pkgs[*]}"
      run "apt-get install Asterisk $want" "${APT_INSTALL[@]}" "${pkgs[@]}"
      if [[ -n ${POLICY_RC_CREATED:-} ]]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=; fi
      if [[ -d /run/systemd/system ]]; then
        systemctl disable --now asterisk.service >/dev/null 2>&1 || true
      fi
    fi
  fi

  local version moddir
  version=$(/usr/sbin/asterisk -V 2>/dev/null | sed -n 's/^Asterisk //p')
  [[ -n $version ]] || die "/usr/sbin/asterisk -V does not run"
  moddir=$(modules_dir_in /) || die "no Asterisk modules directory found"
  install_sipp
  install_sox
  print_summary "$version" "" /usr/sbin/asterisk "$moddir" /usr/share/asterisk
}

print_summary() {
  log "done: Asterisk $1${2:+ in chroot $2}, modules $4, sipp $(sipp_version)"
  cat <<EOF
ASTERISK_VERSION=$1
ASTERISK_CHROOT=$2
ASTERISK_BINARY=$3
ASTERISK_MODULES_DIR=$4
ASTERISK_DATA_DIR=$5
SIPP_BINARY=$(command -v sipp)
SIPP_VERSION=$(sipp_version)
EOF
}

if [[ $VERSION == 22 ]]; then
  install_22
else
  install_16
fi
