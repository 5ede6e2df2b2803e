#!/usr/bin/env bash
# Installs what LaySo needs on a Debian machine with Python 3.11 into ./.venv.
#   bash tools/setup.sh          the product (kiosk, display, server, printer tools)
#   bash tools/setup.sh --test   the product and everything the test suite uses
# Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

apt_pkgs=(
  # Qt's xcb and sound libraries (PySide6 wheels link against them)
  libpulse0 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
  # speech for the hall display
  espeak-ng libespeak-ng1
)
if [ "$want_tests" = 1 ]; then
  apt_pkgs+=(postgresql socat chromium sox xinit xvfb tesseract-ocr tesseract-ocr-vie
             postgresql-client)  # pg_dump / pg_restore for layso backup and restore
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv 2>/dev/null || {
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq python3-venv && python3 -m venv .venv
  }
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e '.[all]'
fi
echo "LaySo is installed in .venv (run: .venv/bin/layso --help)"
