#!/usr/bin/env bash
# Build the Debian package from the PyInstaller one-dir bundle.
#
#   packaging/linux/build-deb.sh [DIST_DIR] [OUT_DIR]
#     DIST_DIR  the one-dir bundle (default packaging/out/dist/agent-canvas)
#     OUT_DIR   where the .deb goes (default packaging/out)
#
# Layout: the bundle in /opt/agent-canvas, /usr/bin/agent-canvas a symlink to its launcher, a
# .desktop entry, hicolor icons, the copyright file. No maintainer scripts: dpkg removes every file
# it installed, and the icon cache and desktop database are refreshed by the triggers that
# hicolor-icon-theme and desktop-file-utils already declare on those folders.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="${1:-$ROOT/packaging/out/dist/agent-canvas}"
OUT="${2:-$ROOT/packaging/out}"
NAME=agent-canvas
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
ARCH="$(dpkg --print-architecture)"
[ -n "$VERSION" ] || { echo "build-deb: no __version__ in app/__init__.py" >&2; exit 1; }
[ -x "$DIST/$NAME" ] || { echo "build-deb: no bundle at $DIST (run pyinstaller first: make package)" >&2; exit 1; }

# Libraries the bundle uses from the system rather than carrying them: the C library, OpenGL/EGL
# (Qt's GUI library links them; they must match the system's drivers), libxcb, and the X11 helper
# libraries Qt's xcb platform plugin loads (missing ones were found by running the bundle under
# Xvfb with QT_DEBUG_PLUGINS=1: libxcb-icccm4 and libxcb-keysyms1 first), and libwayland-client/
# -cursor for the native Wayland plugin (checked under a headless weston). fontconfig-config gives
# the bundled fontconfig its configuration; a font is recommended so text can be drawn at all.
DEPENDS="libc6 (>= 2.28), libgl1, libegl1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, \
libxcb-image0, libxcb-render-util0, libxcb-randr0, libxcb-shape0, libxcb-xkb1, libxkbcommon0, \
libxkbcommon-x11-0, libx11-xcb1, libwayland-client0, libwayland-cursor0, libdbus-1-3, fontconfig-config"
RECOMMENDS="fonts-dejavu-core | fonts-liberation2 | fonts-noto-core"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/root"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/doc/$NAME" "$PKG/usr/share/icons/hicolor/scalable/apps"

cp -a "$DIST" "$PKG/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$PKG/usr/bin/$NAME"
install -m 0644 "$HERE/agent-canvas.desktop" "$PKG/usr/share/applications/$NAME.desktop"
install -m 0644 "$ROOT/resources/icons/agent-canvas.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$PKG/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 0644 "$ROOT/resources/icons/png/agent-canvas-$size.png" \
        "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
cat > "$PKG/usr/share/doc/$NAME/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Agent Canvas
License: MIT

Files: opt/$NAME/_internal/PySide6/*
License: LGPL-3.0-only
Comment: Qt and PySide6, shared libraries kept replaceable in the one-dir bundle.
COPYRIGHT

# Normal permissions whatever the umask was: folders and programs 0755, other files 0644.
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG" -type f -exec chmod 0644 {} +
chmod 0755 "$PKG/opt/$NAME/$NAME"
find "$PKG/opt/$NAME" -type f -name '*.so*' -exec chmod 0755 {} +

INSTALLED_KB="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: Agent Canvas developers <agent-canvas@users.noreply.github.com>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: devel
Priority: optional
Description: visual editor for teams of AI agents kept as Markdown files
 Agent Canvas opens a folder of agent files (Markdown with YAML frontmatter, the
 Claude Code subagent format plus a coordination block) and shows each agent as
 a card on a canvas and each hand-off as an edge. Edits are written back to the
 same files, changing nothing but the edited values.
CONTROL

mkdir -p "$OUT"
rm -f "$OUT/${NAME}"_*.deb  # one package in OUT, so `verify-deb.sh packaging/out/agent-canvas_*.deb` is it
DEB="$OUT/${NAME}_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
