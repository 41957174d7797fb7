#!/usr/bin/env bash
# Builds and checks what a release ships, on a Debian or Ubuntu machine:
#  1. the packaging tools at pinned versions (cargo install --locked) and dpkg-dev;
#  2. the cheap checks (scripts/check-packaging.sh: icons, desktop entry, metainfo, ids);
#  3. the .deb with the dist profile, its control data and contents, and the validators run on
#     the copies inside it;
#  4. `dist plan` on dist.toml: every archive and installer a tagged release would publish;
#  5. the binary sizes with the dist profile: the app against a bare eframe window.
# With --try-install it also installs the .deb with apt, checks the launcher files are in
# place, removes it and checks nothing is left (needs root or sudo; changes this machine).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DIST_VERSION=0.34.0 # keep equal to cargo-dist-version in dist.toml

try_install=0
case "${1:-}" in
  --try-install) try_install=1 ;;
  "") ;;
  *) echo "usage: scripts/package.sh [--try-install]" >&2; exit 2 ;;
esac

id=io.github.cl_login_tester.ClLoginTester
target=${CARGO_TARGET_DIR:-target}
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
section() { printf '\n=== %s\n' "$*"; }

# --- 1. tools -------------------------------------------------------------------------------
section "tools"
bash scripts/setup.sh
# dpkg-shlibdeps (for the .deb's $auto dependencies) comes with dpkg-dev.
if ! command -v dpkg-shlibdeps >/dev/null; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi
# A tool at another version is reinstalled: the configuration is tested with this version
# (scripts/deb.sh does the same for cargo-deb).
if [ "$(dist --version 2>/dev/null)" != "cargo-dist $CARGO_DIST_VERSION" ]; then
  cargo install --locked cargo-dist --version "$CARGO_DIST_VERSION"
fi
grep -q "^cargo-dist-version = \"$CARGO_DIST_VERSION\"" dist.toml ||
  { echo "package: dist.toml pins another cargo-dist than $CARGO_DIST_VERSION" >&2; exit 1; }
echo "$(dist --version), $(dpkg-shlibdeps --version | head -n1)"

# --- 2. cheap checks ------------------------------------------------------------------------
section "check-packaging"
bash scripts/check-packaging.sh

# --- 3. the .deb ------------------------------------------------------------------------------
section "cargo deb --profile dist (scripts/deb.sh)"
deb=$(bash scripts/deb.sh | tail -n1)
[ -f "$deb" ] || { echo "package: cargo deb made no .deb ($deb)" >&2; exit 1; }
echo "$(cargo deb --version): $deb ($(du -h "$deb" | cut -f1))"
section "control"
dpkg-deb --field "$deb" Package Version Architecture Installed-Size Depends Recommends Section Homepage
section "contents"
dpkg-deb --contents "$deb" | awk '{print $1, $3, $6}' | column -t
section "validators on the packaged files"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb --extract "$deb" "$unpacked"
desktop-file-validate "$unpacked/usr/share/applications/$id.desktop" && echo "desktop-file-validate: ok"
appstreamcli validate --no-net "$unpacked/usr/share/metainfo/$id.metainfo.xml"
"$unpacked/usr/bin/cl-login-tester" --version

# --- 4. dist plan -----------------------------------------------------------------------------
section "dist plan"
dist plan

# --- 5. sizes -------------------------------------------------------------------------------
section "binary sizes, dist profile"
# The app as shipped: the binary inside the .deb; the yardstick, a package of its own built on
# its own, so it has exactly the app's eframe features and nothing else (benches/bare-window).
cargo build --locked --profile dist --quiet -p bare-window
app_size=$(stat -c %s "$unpacked/usr/bin/cl-login-tester")
bare_size=$(stat -c %s "$target/dist/bare-window")
awk -v a="$app_size" -v b="$bare_size" 'BEGIN {
  printf "cl-login-tester      %6.2f MiB (%d bytes)\nbare eframe window   %6.2f MiB (%d bytes)\nratio                %6.2f (target <= 1.3)\n", a/1048576, a, b/1048576, b, a/b }'

# --- optional: install and remove -----------------------------------------------------------
if ((try_install)); then
  section "apt install $deb"
  files=(/usr/bin/cl-login-tester "/usr/share/applications/$id.desktop"
    "/usr/share/metainfo/$id.metainfo.xml" "/usr/share/icons/hicolor/scalable/apps/$id.svg"
    "/usr/share/icons/hicolor/48x48/apps/$id.png")
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$(realpath "$deb")" >/dev/null
  ls -l "${files[@]}"
  command -v cl-login-tester
  section "apt purge cl-login-tester"
  listed=$(dpkg-query --listfiles cl-login-tester)
  DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq cl-login-tester >/dev/null
  left=0
  while read -r f; do
    # A directory another package owns (/usr/share/icons, ...) stays; nothing of ours may.
    if [ -d "$f" ]; then
      if ! dpkg-query --search "$f" >/dev/null 2>&1 && [ -z "$(ls -A "$f")" ]; then echo "left behind: $f/" >&2; left=1; fi
    elif [ -e "$f" ]; then
      echo "left behind: $f" >&2; left=1
    fi
  done <<<"$listed"
  if dpkg-query -W cl-login-tester >/dev/null 2>&1 && dpkg-query -W -f='${Status}' cl-login-tester | grep -qv not-installed; then
    echo "package: cl-login-tester is still registered with dpkg" >&2; left=1
  fi
  ((left == 0)) || exit 1
  echo "removed: none of the $(wc -l <<<"$listed") paths the package listed is left as a file"
fi
