#!/usr/bin/env bash
# The cheap packaging checks CI runs every time (scripts/test.sh), no build needed: the icon
# exists in every size and decodes, the desktop entry and the AppStream metainfo pass their
# validators, and the app id, name and version agree across the files that carry them.
# scripts/package.sh runs it too, before building the packages.
set -euo pipefail
cd "$(dirname "$0")/.."

id=io.github.cl_login_tester.ClLoginTester
icons=assets/icons
failed=0
fail() { echo "check-packaging: $*" >&2; failed=1; }

# --- the icon: the SVG source, every PNG size at its size, the Windows .ico -----------------
rsvg-convert --width 16 --height 16 "$icons/$id.svg" >/dev/null || fail "$icons/$id.svg does not render"
for s in 16 24 32 48 64 128 256 512; do
  png="$icons/${s}x${s}/$id.png"
  if [ ! -f "$png" ]; then fail "missing $png (run scripts/icons.sh)"; continue; fi
  # identify decodes the whole image; -regard-warnings turns a damaged one into an error.
  got=$(identify -regard-warnings -format '%m %w %h' "$png" 2>&1) || { fail "$png does not decode: $got"; continue; }
  [ "$got" = "PNG $s $s" ] || fail "$png is '$got', expected 'PNG $s $s'"
done
ico="$icons/$id.ico"
if ico_sizes=$(icotool --list "$ico" 2>&1); then
  for s in 16 32 48 256; do
    grep -q -- "--width=$s --height=$s" <<<"$ico_sizes" || fail "$ico has no ${s}x${s} image"
  done
else
  fail "$ico does not decode: $ico_sizes"
fi

# --- the launcher entry and the software-centre metadata -------------------------------------
desktop="assets/$id.desktop"
metainfo="assets/$id.metainfo.xml"
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate $desktop: $out"
[ -z "$out" ] || echo "$out"
out=$(appstreamcli validate --no-net --explain "$metainfo" 2>&1) || fail "appstreamcli validate $metainfo: $out"

# --- one id, one name, one version everywhere --------------------------------------------------
grep -q "^pub const APP_ID: &str = \"$id\";" src/gui/mod.rs || fail "src/gui/mod.rs APP_ID is not $id"
grep -q "^Icon=$id\$" "$desktop" || fail "$desktop: Icon is not $id"
grep -q "^StartupWMClass=$id\$" "$desktop" || fail "$desktop: StartupWMClass is not $id"
grep -q "<id>$id</id>" "$metainfo" || fail "$metainfo: <id> is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "$metainfo: launchable is not $id.desktop"
# Screenshots point at the repository's copy of a file in assets/: it has to exist.
for shot in $(sed -n 's|.*<image>[^<]*/assets/\([^<]*\)</image>.*|\1|p' "$metainfo"); do
  [ -f "assets/$shot" ] || fail "$metainfo shows assets/$shot, which does not exist"
done
field() { sed -n "s/^$2 *= *\"\(.*\)\"/\1/p" "$1" | head -n1; }
version=$(field Cargo.toml version)
grep -q "<release version=\"$version\"" "$metainfo" || fail "$metainfo has no <release> for $version (Cargo.toml)"
for key in name version repository; do
  [ "$(field dist.toml "$key")" = "$(field Cargo.toml "$key")" ] || fail "dist.toml $key '$(field dist.toml "$key")' differs from Cargo.toml's '$(field Cargo.toml "$key")'"
done
# cargo-dist reads dist-workspace.toml before dist.toml: one would silently replace this config.
[ ! -e dist-workspace.toml ] || fail "dist-workspace.toml exists: cargo-dist would read it instead of dist.toml"

if ((failed)); then exit 1; fi
echo "check-packaging: icons (SVG, 8 PNG sizes, .ico), desktop entry, metainfo and ids are consistent"
