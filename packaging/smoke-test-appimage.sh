#!/usr/bin/env bash
# Run the AppImage the way it runs without FUSE (--appimage-extract-and-run), use it, delete it,
# and check that nothing is left (the release workflow's AppImage job):
#
#   packaging/smoke-test-appimage.sh packaging/out/Agent_Canvas-<version>-x86_64.AppImage
#
# "Installing" an AppImage is copying one file; the copy goes into a temporary folder, and the
# runtime's temporary extractions go into a private TMPDIR and must be gone at the end.
set -euo pipefail
IMAGE_IN="$(realpath "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
fail() { echo "smoke-test-appimage: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test-appimage: ok: $*"; }
[ -f "$IMAGE_IN" ] || fail "no AppImage at $1"
case "$(basename "$IMAGE_IN")" in *"-$VERSION-"*) ;; *) fail "the image's name does not carry version $VERSION" ;; esac

BASE="$(mktemp -d)"
INSTALL="$BASE/Applications"
mkdir -p "$INSTALL" "$BASE/tmp" "$BASE/bin"
IMAGE="$INSTALL/$(basename "$IMAGE_IN")"
cp "$IMAGE_IN" "$IMAGE"
chmod +x "$IMAGE"

# The bundled sample team, read from an extraction made for that only (kept outside INSTALL).
(cd "$BASE" && "$IMAGE" --appimage-extract > /dev/null) || fail "--appimage-extract failed"
SAMPLE="$BASE/squashfs-root/usr/lib/agent-canvas/_internal/agents"

# smoke-test.sh runs one program; this one puts the runtime's flag right after the image.
cat > "$BASE/bin/agent-canvas" <<WRAPPER
#!/bin/sh
TMPDIR="$BASE/tmp" exec "$IMAGE" --appimage-extract-and-run "\$@"
WRAPPER
chmod +x "$BASE/bin/agent-canvas"
bash "$HERE/smoke-test.sh" "$BASE/bin/agent-canvas" "$BASE/bin/agent-canvas" "$SAMPLE" "$INSTALL"
# An extraction has AppRun at its top; the app's own temporary files (Qt's) may stay in TMPDIR.
left="$(find "$BASE/tmp" -maxdepth 2 -name AppRun)"
[ -z "$left" ] || fail "the runs left extractions behind: $left"
ok "--appimage-extract-and-run left no extraction behind"

rm -f "$IMAGE"
[ -z "$(ls -A "$INSTALL")" ] || fail "left behind: $(ls -A "$INSTALL")"
rm -rf "$BASE"
ok "the AppImage is deleted and nothing of it is left"
echo "smoke-test-appimage: all checks passed"
