#!/usr/bin/env bash
# Installs the Debian packages the test suite starts as real peers: Redis (shared rate limits),
# clamd (virus scanning), Chromium (link page end to end) and nginx (TLS proxy, two-instance test),
# and a python3 that can make virtual environments (Schemathesis, the OpenAPI conformance test).
# Only what is missing is installed, so a prepared machine pays nothing.
set -euo pipefail

declare -A COMMAND_OF_PACKAGE=(
  [redis-server]=redis-server
  [clamav-daemon]=clamd
  [chromium]=chromium
  [nginx]=nginx
)

missing=()
for package in "${!COMMAND_OF_PACKAGE[@]}"; do
  command_name="${COMMAND_OF_PACKAGE[$package]}"
  if ! command -v "$command_name" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command_name" ]; then
    missing+=("$package")
  fi
done

# Any python3 on PATH will do (pyenv's has venv built in); Debian's needs python3-venv for ensurepip.
if ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "system packages missing (${missing[*]}): run as root, or install them with apt-get" >&2
    exit 1
  fi
fi

echo "system packages: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# The packages' own services are not used: the test harness starts each peer with its own config.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
