#!/usr/bin/env bash
# Installs the system packages that the window, its tests, the keyring tests and the packaging
# checks need, when they are missing (Debian and Ubuntu). Rust itself comes from rustup. Safe to
# run again: it only asks apt for what is not installed yet.
set -euo pipefail

packages=(
  # the window: X11 and Wayland client libraries, OpenGL through Mesa (software GL is enough)
  libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 libgl1 libegl1 libgl1-mesa-dri libegl-mesa0
  # snapshot tests render with wgpu on lavapipe, Mesa's software Vulkan
  libvulkan1 mesa-vulkan-drivers
  # a display, a session bus and a Secret Service for tests and the real-window check
  xvfb xauth dbus dbus-bin gnome-keyring
  # the real-window check: find the window by title, take a screenshot
  xdotool imagemagick x11-utils
  # scripts/check-packaging.sh: the desktop entry and metainfo validators, the icon's SVG and .ico
  desktop-file-utils appstream librsvg2-bin icoutils
  # tests/memory.rs: a C compiler for its tiny stop-at-exit library, `script` for a terminal
  gcc bsdutils
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup: not a Debian-like system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
