#!/usr/bin/env bash
# Builds the Debian package with the dist profile (metadata: [package.metadata.deb] in
# Cargo.toml) into the file given, default target/debian/cl-login-tester_<arch>.deb, installing
# the pinned cargo-deb first when it is missing. The release workflow runs it through dist.toml's
# extra-artifacts; scripts/package.sh runs it and checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
out=${1:-${CARGO_TARGET_DIR:-target}/debian/cl-login-tester_$(dpkg --print-architecture).deb}

if [ "$(cargo deb --version 2>/dev/null)" != "cargo-deb $CARGO_DEB_VERSION" ]; then
  cargo install --locked cargo-deb --version "$CARGO_DEB_VERSION"
fi
# $auto in the dependencies needs dpkg-shlibdeps.
command -v dpkg-shlibdeps >/dev/null || { echo "deb: dpkg-shlibdeps is missing (apt-get install dpkg-dev)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cargo deb --locked --profile dist --output "$out" >&2
echo "$out"
