#!/usr/bin/env bash
# Renders the app icon's PNGs (every size the freedesktop hicolor theme, the window and the
# AppStream metadata use) and the Windows .ico from its SVG source. Run it after changing the
# SVG and commit the results: builds and packages use the committed files, so neither needs
# an SVG renderer. Needs rsvg-convert (librsvg2-bin) and icotool (icoutils).
set -euo pipefail
cd "$(dirname "$0")/.."

id=io.github.cl_login_tester.ClLoginTester
dir=assets/icons
sizes=(16 24 32 48 64 128 256 512)
for s in "${sizes[@]}"; do
  mkdir -p "$dir/${s}x${s}"
  rsvg-convert --width "$s" --height "$s" "$dir/$id.svg" --output "$dir/${s}x${s}/$id.png"
done
# Windows picks the nearest size for the title bar, taskbar and Explorer; 256 is stored as PNG
# (-r), as Windows expects for that size.
icotool --create --output "$dir/$id.ico" \
  "$dir/16x16/$id.png" "$dir/24x24/$id.png" "$dir/32x32/$id.png" "$dir/48x48/$id.png" \
  "$dir/64x64/$id.png" --raw="$dir/256x256/$id.png"
echo "icons: rendered ${sizes[*]} and $dir/$id.ico from $dir/$id.svg"
