#!/usr/bin/env bash
# Build the installer for the machine this runs on (called by `make package`):
#   Linux    packaging/out/agent-canvas_<version>_<arch>.deb
#   macOS    packaging/out/Agent-Canvas-<version>.dmg
#   Windows  packaging/out/agent-canvas-<version>-setup.exe (Git Bash; needs Inno Setup's iscc)
# PYTHON may name the Python whose PyInstaller to use (default: the project's .venv).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' app/__init__.py)"
case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) PYTHON="${PYTHON:-.venv/Scripts/python.exe}" ;;
    *) PYTHON="${PYTHON:-.venv/bin/python}" ;;
esac
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath packaging/out/dist --workpath packaging/out/build packaging/agent-canvas.spec
case "$(uname -s)" in
    Linux) packaging/linux/build-deb.sh packaging/out/dist/agent-canvas packaging/out ;;
    Darwin) packaging/macos/build-dmg.sh "packaging/out/dist/Agent Canvas.app" packaging/out ;;
    MINGW*|MSYS*|CYGWIN*)
        ISCC="${ISCC:-iscc}"
        WINROOT="$(cygpath -w "$ROOT")"  # iscc wants C:\... paths, not Git Bash's /c/...
        "$ISCC" //Qq "//DAppVersion=$VERSION" "//DSourceDir=$WINROOT\\packaging\\out\\dist\\agent-canvas" \
            "//O$WINROOT\\packaging\\out" packaging/windows/agent-canvas.iss
        ls "packaging/out/agent-canvas-$VERSION-setup.exe" ;;
    *) echo "make package: no installer recipe for $(uname -s)" >&2; exit 1 ;;
esac
