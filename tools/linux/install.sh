#!/usr/bin/env bash
# Installs LaySo on a Debian/Ubuntu office PC and starts it at every boot:
#   sudo bash tools/linux/install.sh server
#   sudo bash tools/linux/install.sh kiosk   --server http://SERVER:8080 --token TOKEN --printer tcp://192.168.1.50:9100
#   sudo bash tools/linux/install.sh display --server http://SERVER:8080 --token TOKEN
# What it does: a system user `layso`, LaySo with the part this PC needs in
# /opt/layso/venv, config in /etc/layso, data in /var/lib/layso, the systemd units from
# this folder (server + daily backup, or kiosk / display on a bare X session), enabled
# and started. Safe to run again: it keeps /etc/layso and the data.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checkout="$(cd "$here/../.." && pwd)"
role="${1:-}"; shift || true
case "$role" in server|kiosk|display) ;; *)
  echo "Cách dùng (usage): install.sh server|kiosk|display [--server URL] [--token TOKEN] [--printer URI]" >&2
  exit 2;;
esac
server_url=""; token=""; printer=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_url="$2"; shift 2;;
    --token) token="$2"; shift 2;;
    --printer) printer="$2"; shift 2;;
    *) echo "Không hiểu tham số (unknown option): $1" >&2; exit 2;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "Cần quyền root: chạy bằng sudo (run with sudo)" >&2; exit 1; }

# Debian packages: Python, and for the screens Qt's libraries and a bare X server.
pkgs=(python3 python3-venv)
if [ "$role" != server ]; then
  pkgs+=(xserver-xorg-core xserver-xorg-input-all xinit x11-xserver-utils
         libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
         libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
         libegl1 libgl1 libfontconfig1 libdbus-1-3 libpulse0)
fi
[ "$role" = display ] && pkgs+=(espeak-ng libespeak-ng1)
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"

id layso >/dev/null 2>&1 || useradd --system --home-dir /var/lib/layso --create-home \
  --shell /usr/sbin/nologin layso
[ "$role" = server ] || usermod -aG video,audio,input,lp,dialout,tty layso
install -d -o layso -g layso -m 750 /var/lib/layso /var/lib/layso/backups
install -d -m 755 /etc/layso /opt/layso/bin /opt/layso/docs

[ -x /opt/layso/venv/bin/python ] || python3 -m venv /opt/layso/venv
/opt/layso/venv/bin/pip install -q --upgrade pip
/opt/layso/venv/bin/pip install -q "$checkout[$role]"
cp "$checkout"/docs/install-linux.md /opt/layso/docs/ 2>/dev/null || true

if [ "$role" = server ]; then
  [ -f /etc/layso/layso.toml ] || install -m 640 -g layso "$checkout/config/layso.toml" /etc/layso/layso.toml
  units=(layso-server.service layso-backup.service layso-backup.timer)
  enable=(layso-server.service layso-backup.timer)
else
  settings="/etc/layso/$role.json"
  # The part's own settings module writes its file (one format, one place).
  LAYSO_ROLE="$role" LAYSO_SETTINGS="$settings" LAYSO_SERVER="$server_url" \
  LAYSO_TOKEN="$token" LAYSO_PRINTER="$printer" /opt/layso/venv/bin/python - <<'PY'
import os
from pathlib import Path

path = Path(os.environ["LAYSO_SETTINGS"])
given = {"server": os.environ["LAYSO_SERVER"], "token": os.environ["LAYSO_TOKEN"],
         "printer": os.environ["LAYSO_PRINTER"]}
if os.environ["LAYSO_ROLE"] == "kiosk":
    from layso.kiosk.settings import load_settings
    settings = load_settings(path)
    for key, name in (("server", "server_url"), ("token", "token"), ("printer", "printer_uri")):
        if given[key]:
            setattr(settings, name, given[key])
    settings.save()
else:
    from layso.counter_display.settings import load_settings, save_settings
    settings = load_settings(path).overridden(server=given["server"] or None,
                                              token=given["token"] or None)
    save_settings(settings, path)
PY
  chown layso:layso "$settings"; chmod 600 "$settings"
  install -m 755 "$here/layso-xsession" /opt/layso/bin/layso-xsession
  units=("layso-$role.service")
  enable=("layso-$role.service")
  # Xorg started by a service may run for any console user.
  printf 'allowed_users=anybody\nneeds_root_rights=yes\n' > /etc/X11/Xwrapper.config
fi
for unit in "${units[@]}"; do install -m 644 "$here/$unit" /etc/systemd/system/; done
systemd-analyze verify "${units[@]/#//etc/systemd/system/}"
systemctl daemon-reload
systemctl enable --now "${enable[@]}"
echo "LaySo ($role) đã cài và đang chạy (installed and running): systemctl status ${enable[0]}"
