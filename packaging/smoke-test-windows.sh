#!/usr/bin/env bash
# Install the Windows installer silently for the current user, use the installed app, uninstall
# it, and check that nothing is left (Git Bash on the release workflow's Windows runner):
#
#   packaging/smoke-test-windows.sh packaging/out/agent-canvas-<version>-setup.exe
#
# Installs into a fresh temporary folder (not the user's Programs folder), runs
# packaging/smoke-test.sh on it, runs the uninstaller silently and checks that the install folder,
# the Start-menu entry and the uninstall entry in the registry (HKCU: the install is per user)
# are gone.
set -euo pipefail
SETUP="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
fail() { echo "smoke-test-windows: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test-windows: ok: $*"; }
[ -f "$SETUP" ] || fail "no installer at $1"
# The uninstall key is named after the AppId in the Inno Setup script: {GUID}_is1.
GUID="$(sed -n 's/^AppId={{\([0-9A-F-]*\)}$/\1/p' "$ROOT/packaging/windows/agent-canvas.iss" | tr -d '\r')"
[ -n "$GUID" ] || fail "no AppId in packaging/windows/agent-canvas.iss"
KEY="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{$GUID}_is1"

BASE="$(mktemp -d)"
APPDIR="$BASE/Agent Canvas"
# Inno Setup's switches start with "/": stop Git Bash from turning them into paths.
inno() { MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL='*' "$@"; }

inno "$SETUP" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER \
    "/DIR=$(cygpath -w "$APPDIR")" "/LOG=$(cygpath -w "$BASE/install.log")" \
    || { cat "$BASE/install.log" >&2 || true; fail "the installer exited non-zero"; }
[ -x "$APPDIR/agent-canvas.exe" ] && [ -x "$APPDIR/agent-canvas-cli.exe" ] \
    || fail "no agent-canvas.exe and agent-canvas-cli.exe in $APPDIR"
[ -x "$APPDIR/unins000.exe" ] || fail "no uninstaller in $APPDIR"
reg query "$KEY" > "$BASE/key.txt" 2>&1 || fail "no uninstall entry $KEY after installing"
grep -q "$VERSION" "$BASE/key.txt" || fail "the uninstall entry does not name version $VERSION"
# The Start-menu entry ({autoprograms} for a per-user install).
SHORTCUT="$(cygpath -u "$APPDATA")/Microsoft/Windows/Start Menu/Programs/Agent Canvas.lnk"
[ -f "$SHORTCUT" ] || fail "no Start-menu entry at $SHORTCUT"
ok "installed silently into $APPDIR; Settings > Apps lists it (version $VERSION); Start menu entry made"

bash "$HERE/smoke-test.sh" "$APPDIR/agent-canvas-cli.exe" "$APPDIR/agent-canvas.exe" \
    "$APPDIR/_internal/agents" "$APPDIR"

# unins000.exe copies itself to a temporary folder and returns at once; the copy does the work,
# so wait (up to two minutes) for the install folder to go.
inno "$APPDIR/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART || fail "the uninstaller exited non-zero"
for _ in $(seq 120); do
    [ -e "$APPDIR" ] || break
    sleep 1
done
if [ -e "$APPDIR" ]; then
    find "$APPDIR" >&2
    fail "the install folder is still there two minutes after uninstalling"
fi
[ ! -e "$SHORTCUT" ] || fail "the Start-menu entry $SHORTCUT is still there"
ok "the uninstaller removed $APPDIR and the Start-menu entry"
if reg query "$KEY" > /dev/null 2>&1; then
    fail "the uninstall entry $KEY is still in the registry"
fi
ok "the uninstall entry is gone from the registry"
rm -rf "$BASE"
echo "smoke-test-windows: all checks passed"
