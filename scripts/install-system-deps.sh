#!/bin/sh
# The Debian packages Qt needs to run (offscreen and in a real window), the
# fonts it draws text with, and the tools we use to look at what we built
# (Xvfb screenshots, PDF pages as PNG), and fonts for any patient's name: Noto CJK
# for the screens, WenQuanYi Zen Hei for paper (ReportLab embeds TrueType outlines
# only), and PostgreSQL (the clinic-server tests and benches start a throw-away
# cluster of their own; Debian 12 ships 15). Installs only what is missing; as non-root or off Debian it prints the
# exact command instead.
set -eu
PKGS="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 fonts-dejavu-core
xvfb xauth libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-xfixes0 libxcb-sync1 libxcb-xkb1 libxcb-shm0
libxcb-render0 libxcb-util1 poppler-utils
fonts-noto-cjk fonts-wqy-zenhei
postgresql"
command -v dpkg >/dev/null 2>&1 || { echo "Not Debian: install Qt 6's runtime libraries, DejaVu fonts, Xvfb and poppler-utils with your package manager."; exit 0; }
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "Missing system packages. Run as root:"
  echo "  apt-get update && apt-get install -y$missing"
  exit 1
fi
