#!/usr/bin/env bash
# Install the .deb with dpkg, use the installed app, remove it, and check that nothing is left
# (the release workflow's Linux runner; uses sudo):
#
#   packaging/smoke-test-linux.sh packaging/out/agent-canvas_<version>_<arch>.deb
#
# The package's dependencies that are missing are installed with apt-get first, as apt would.
# packaging/smoke-test.sh runs /usr/bin/agent-canvas on the installed sample team's copy; after
# dpkg -r, /opt/agent-canvas, the launcher link and the desktop entry must be gone.
set -euo pipefail
DEB="$(realpath "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
NAME=agent-canvas
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
fail() { echo "smoke-test-linux: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test-linux: ok: $*"; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2> /dev/null)" = installed ]; }
[ -f "$DEB" ] || fail "no package at $1"
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || fail "the package's version is not $VERSION"
if installed "$NAME"; then fail "$NAME is installed already; remove it first (sudo dpkg -r $NAME)"; fi

missing=""
for dep in $(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
    installed "$dep" || missing="$missing $dep"
done
if [ -n "$missing" ]; then
    echo "smoke-test-linux: installing the package's dependencies:$missing"
    $SUDO apt-get update -qq > /dev/null || fail "apt-get update failed"
    # shellcheck disable=SC2086  # one word per package
    $SUDO apt-get install -y -qq --no-install-recommends $missing > /dev/null || fail "could not install:$missing"
fi
$SUDO dpkg -i "$DEB" > /dev/null || fail "dpkg -i failed"
installed "$NAME" || fail "dpkg does not list $NAME as installed"
[ -x "/usr/bin/$NAME" ] || fail "no /usr/bin/$NAME"
ok "dpkg -i installed $NAME $VERSION"

bash "$HERE/smoke-test.sh" "/usr/bin/$NAME" "/usr/bin/$NAME" "/opt/$NAME/_internal/agents" "/opt/$NAME"

$SUDO dpkg -r "$NAME" > /dev/null || fail "dpkg -r failed"
if installed "$NAME"; then fail "dpkg still lists $NAME as installed"; fi
for path in "/opt/$NAME" "/usr/bin/$NAME" "/usr/share/applications/$NAME.desktop"; do
    if [ -e "$path" ] || [ -L "$path" ]; then fail "$path is still there after dpkg -r"; fi
done
ok "dpkg -r removed /opt/$NAME, /usr/bin/$NAME and the desktop entry"
echo "smoke-test-linux: all checks passed"
