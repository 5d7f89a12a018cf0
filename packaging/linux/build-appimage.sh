#!/usr/bin/env bash
# Make an AppImage from the PyInstaller one-dir bundle (the release workflow runs this on
# ubuntu-22.04, so the image runs on glibc 2.35 and newer).
#
#   APPIMAGETOOL=/path/to/appimagetool packaging/linux/build-appimage.sh [DIST_DIR] [OUT_DIR]
#
# appimagetool is not in a package registry: the workflow downloads it on GitHub's runner.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="${1:-$ROOT/packaging/out/dist/agent-canvas}"
OUT="${2:-$ROOT/packaging/out}"
TOOL="${APPIMAGETOOL:-appimagetool}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
[ -x "$DIST/agent-canvas" ] || { echo "build-appimage: no bundle at $DIST" >&2; exit 1; }

APPDIR="$(mktemp -d)/AgentCanvas.AppDir"
trap 'rm -rf "$(dirname "$APPDIR")"' EXIT
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/icons/hicolor/256x256/apps"
cp -a "$DIST" "$APPDIR/usr/lib/agent-canvas"
cat > "$APPDIR/AppRun" <<'APPRUN'
#!/bin/sh
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/agent-canvas/agent-canvas" "$@"
APPRUN
chmod 0755 "$APPDIR/AppRun"
install -m 0644 "$HERE/agent-canvas.desktop" "$APPDIR/agent-canvas.desktop"
install -m 0644 "$HERE/agent-canvas.desktop" "$APPDIR/usr/share/applications/agent-canvas.desktop"
install -m 0644 "$ROOT/resources/icons/png/agent-canvas-256.png" "$APPDIR/agent-canvas.png"
install -m 0644 "$ROOT/resources/icons/png/agent-canvas-256.png" \
    "$APPDIR/usr/share/icons/hicolor/256x256/apps/agent-canvas.png"
ln -s agent-canvas.png "$APPDIR/.DirIcon"

mkdir -p "$OUT"
IMAGE="$OUT/Agent_Canvas-$VERSION-x86_64.AppImage"
ARCH=x86_64 APPIMAGE_EXTRACT_AND_RUN=1 "$TOOL" --no-appstream "$APPDIR" "$IMAGE" >/dev/null
echo "$IMAGE"
