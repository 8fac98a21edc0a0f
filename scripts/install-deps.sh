#!/usr/bin/env bash
# Installs the Debian 12 packages ajuste builds with, by name, when they are missing.
# Runs as root (or through sudo when available). Safe to run again: it only installs what lacks.
set -euo pipefail

# --with-browser: also Debian's Chromium, for the test that renders the HTML report in a real
# browser (about 120 MB; that test is skipped without it).
with_browser=0
if [ "${1:-}" = "--with-browser" ]; then with_browser=1; fi

packages=(
  g++ cmake ninja-build ccache pkg-config python3
  libyaml-cpp-dev nlohmann-json3-dev libboost-dev libcli11-dev libcpp-httplib-dev
  libcurl4-openssl-dev ca-certificates zlib1g-dev libzstd-dev libutf8proc-dev libpcre2-dev libxxhash-dev libsimdjson-dev libssl-dev libcld2-dev libjemalloc-dev
  libgtest-dev libgmock-dev
)

if [ "$with_browser" = 1 ]; then packages+=(chromium); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "ajuste: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "ajuste: these Debian packages are missing and I am not root: ${missing[*]}" >&2
    echo "        install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
