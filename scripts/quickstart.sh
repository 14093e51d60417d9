#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine with Node 20, as root:
#   installs Asterisk 22 and SIPp from Debian packages, the npm packages, builds the server,
#   creates demo accounts (their passwords are printed once) and starts the server with a
#   managed Asterisk, SQLite in ./data. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $EUID -ne 0 ]]; then
  echo "quickstart: run as root (it installs Debian packages and runs Asterisk in a chroot)" >&2
  exit 1
fi

bash scripts/install-asterisk.sh >/dev/null
bash scripts/install-browser.sh >/dev/null
[[ -d node_modules ]] || npm ci --no-audit --no-fund
npm run build
npm run demo:seed
echo "Starting the server: API on http://localhost:${HTTP_PORT:-3000}/api/v1, docs at /docs, SIP on UDP ${ASTERISK_SIP_PORT:-5060}"
exec npm start
