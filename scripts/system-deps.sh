#!/usr/bin/env bash
# Debian packages the tests use as real peers: feed readers, XML tools, a browser with CJK and
# emoji fonts for the widget's browser tests, Redis and PostgreSQL for the store and scale-out
# tests (each test file starts its own server on a free port), and wrk for `pnpm bench`'s HTTP load.
# Installs only what is missing; needs root (or sudo) and apt.
set -euo pipefail

declare -A needs=(
  [python3-feedparser]='/usr/bin/python3 -c "import feedparser"'
  [libxml2-utils]='command -v xmllint'
  [xsltproc]='command -v xsltproc'
  [chromium]='test -x /usr/bin/chromium'
  [fonts-wqy-microhei]='fc-list | grep -qi "WenQuanYi Micro Hei"'
  [fonts-noto-color-emoji]='fc-list | grep -qi "Noto Color Emoji"'
  [redis-server]='command -v redis-server'
  [postgresql]='compgen -G "/usr/lib/postgresql/*/bin/initdb"'
  [wrk]='command -v wrk'
)

missing=()
for package in "${!needs[@]}"; do
  bash -c "${needs[$package]}" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all present" >&2
  exit 0
fi

echo "system-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
