#!/usr/bin/env bash
# Runs a command with a private X display (Xvfb) and an unlocked Secret Service (gnome-keyring)
# on the session bus. Call it inside `dbus-run-session -- bash scripts/session.sh CMD...`.
# The keyring lives in a fresh temporary data folder, so its password is known and nothing
# touches the user's own keyrings.
set -euo pipefail

scratch=$(mktemp -d)
cleanup() {
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ -n "${keyring_pid:-}" ] && kill "$keyring_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "session: no session bus; run inside dbus-run-session" >&2
  exit 1
fi

# A display: the first free one from :90 up.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
if [ ! -e "/tmp/.X11-unix/X$display" ]; then
  echo "session: Xvfb did not start:" >&2; cat "$scratch/xvfb.log" >&2; exit 1
fi
export DISPLAY=":$display"
unset WAYLAND_DISPLAY

# A Secret Service: a new login keyring, created and unlocked with a known password. In the
# foreground, so the cleanup can stop it. The wait asks the bus whether the name is owned rather
# than calling the service: a call would make D-Bus start a second, password-less daemon from its
# service file, which then owns the name and has no login keyring (no default collection).
printf 'ci-keyring-password' | gnome-keyring-daemon --foreground --unlock --components=secrets >"$scratch/keyring.env" 2>"$scratch/keyring.log" &
keyring_pid=$!
for _ in $(seq 100); do
  if dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    export CL_TEST_SECRET_SERVICE=1
    break
  fi
  sleep 0.1
done
if [ -z "${CL_TEST_SECRET_SERVICE:-}" ]; then
  echo "session: gnome-keyring did not come up on the session bus:" >&2; cat "$scratch/keyring.log" >&2
fi


"$@"
