#!/usr/bin/env bash
# install-browser.sh - installs what the web application's browser tests drive: Debian's Chromium
# (playwright-core drives it; no browser is downloaded) and a Japanese font, so that the Japanese
# screens render in the tests' screenshots, and iproute2 (the browser phone's test runs Chromium
# in a network namespace of its own). Idempotent; run as root on Debian 12.
#   Prints CHROMIUM_PATH=<path> on stdout.
set -euo pipefail

PKGS=(chromium fonts-ipafont-gothic iproute2)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-browser: apt-get install ${missing[*]}" >&2
  apt-get -qq update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || { echo "install-browser: chromium not found" >&2; exit 1; }
echo "CHROMIUM_PATH=$(command -v chromium)"
