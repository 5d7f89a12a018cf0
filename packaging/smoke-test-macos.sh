#!/usr/bin/env bash
# Install the macOS disk image the way a user does, use the installed app, remove it, and check
# that nothing is left (the release workflow's macOS runner):
#
#   packaging/smoke-test-macos.sh packaging/out/Agent-Canvas-<version>.dmg
#
# Mounts the image read-only with hdiutil, copies "Agent Canvas.app" into a temporary
# Applications folder (not /Applications), detaches the image, runs packaging/smoke-test.sh on
# the copy, then deletes the copy and checks that the app and the mount are gone.
set -euo pipefail
DMG="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
fail() { echo "smoke-test-macos: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test-macos: ok: $*"; }
[ -f "$DMG" ] || fail "no disk image at $1"

# pwd -P: mount lists /var/folders/... as /private/var/folders/..., the real path.
BASE="$(cd "$(mktemp -d)" && pwd -P)"
MOUNT="$BASE/mount"
APPS="$BASE/Applications"
APP="$APPS/Agent Canvas.app"
mkdir -p "$MOUNT" "$APPS"
detach() { if mount | grep -qF " on $MOUNT "; then hdiutil detach "$MOUNT" -force > /dev/null || true; fi; }
trap detach EXIT

hdiutil attach "$DMG" -nobrowse -readonly -noautoopen -mountpoint "$MOUNT" > /dev/null || fail "hdiutil attach failed"
[ -d "$MOUNT/Agent Canvas.app" ] || fail "the image holds no 'Agent Canvas.app' (it holds: $(ls "$MOUNT"))"
[ -L "$MOUNT/Applications" ] || fail "the image has no Applications link to drag the app onto"
cp -R "$MOUNT/Agent Canvas.app" "$APPS/"
hdiutil detach "$MOUNT" > /dev/null || fail "hdiutil detach failed"
if mount | grep -qF " on $MOUNT "; then fail "the image is still mounted at $MOUNT after detaching"; fi
ok "copied Agent Canvas.app from the image into $APPS and detached the image"

# PyInstaller keeps data files in Contents/Resources (Contents/Frameworks links to them).
SAMPLE="$APP/Contents/Resources/agents"
[ -d "$SAMPLE" ] || SAMPLE="$APP/Contents/Frameworks/agents"
EXE="$APP/Contents/MacOS/agent-canvas"
[ -x "$EXE" ] || fail "no executable at $EXE"
shown="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
[ "$shown" = "$VERSION" ] || fail "Finder would show version $shown, not $VERSION"
bash "$HERE/smoke-test.sh" "$EXE" "$EXE" "$SAMPLE" "$APP"

rm -rf "$APP"
[ ! -e "$APP" ] || fail "$APP is still there after removing it"
[ -z "$(ls -A "$APPS")" ] || fail "left in the Applications folder: $(ls -A "$APPS")"
if hdiutil info | grep -qF "$DMG"; then fail "the image is still attached"; fi
ok "the app is removed and the image is not attached"
rm -rf "$BASE"
echo "smoke-test-macos: all checks passed"
