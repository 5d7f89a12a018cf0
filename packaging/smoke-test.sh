#!/usr/bin/env bash
# What a user does first with an installed Agent Canvas, checked on the installed copy (called
# by smoke-test-windows.sh, smoke-test-macos.sh, smoke-test-linux.sh and smoke-test-appimage.sh
# once they have installed the app; Linux, macOS and Git Bash on Windows):
#
#   packaging/smoke-test.sh CLI GUI SAMPLE_DIR INSTALL_DIR
#
# CLI runs the subcommands and prints (on Windows agent-canvas-cli.exe, elsewhere the app itself),
# GUI is the program the Start menu, dock or launcher starts, SAMPLE_DIR the installed bundle's
# sample team, INSTALL_DIR the folder the installer filled.
#
# 1. --version prints "agent-canvas <the version in app/__init__.py>";
# 2. on a COPY of the bundled sample team: validate finds no errors, `set` changes exactly one
#    line of one file, validate still finds no errors;
# 3. --screenshot writes a PNG;
# 4. none of this wrote into the install folder or changed the bundled sample team.
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 CLI GUI SAMPLE_DIR INSTALL_DIR" >&2; exit 2; }
CLI="$1"
GUI="$2"
SAMPLE="$3"
INSTALL="$4"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "smoke-test: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test: ok: $*"; }
# Paths handed to a Windows program are written the Windows way (Git Bash's cygpath); elsewhere as is.
native() { if command -v cygpath > /dev/null; then cygpath -w "$1"; else printf '%s\n' "$1"; fi; }
run_cli() { "$CLI" "$@"; }
run_gui() { "$GUI" "$@"; }
png_ok() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
listing() { (cd "$1" && find . -print | LC_ALL=C sort); }

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
[ -d "$INSTALL" ] || fail "no install folder at $INSTALL"
[ -n "$(ls "$SAMPLE"/*.md 2> /dev/null)" ] || fail "no sample team (*.md) in $SAMPLE"
listing "$INSTALL" > "$WORK/install-before.txt"
# -L: in a macOS bundle the data may be links from Contents/Frameworks into Contents/Resources.
cp -RL "$SAMPLE" "$WORK/pristine"

out="$(run_cli --version | tr -d '\r')" || fail "--version exited non-zero"
[ "$out" = "agent-canvas $VERSION" ] || fail "--version printed '$out', expected 'agent-canvas $VERSION'"
ok "--version prints '$out'"

cp -RL "$SAMPLE" "$WORK/team"
TEAM="$(native "$WORK/team")"
run_cli validate "$TEAM" > "$WORK/validate.txt" 2>&1 || { cat "$WORK/validate.txt" >&2; fail "validate on the sample team's copy exited non-zero"; }
grep -q " 0 errors" "$WORK/validate.txt" || { cat "$WORK/validate.txt" >&2; fail "validate found errors in the sample team"; }
ok "validate: $(tr -d '\r' < "$WORK/validate.txt" | head -n 1)"

# tr: a Windows checkout may have given the files CRLF line ends.
has_line() { tr -d '\r' < "$2" | grep -qx "$1"; }
has_line "model: sonnet" "$WORK/team/api-designer.md" || fail "the sample team's api-designer no longer has model: sonnet"
run_cli set "$TEAM" api-designer model=haiku > "$WORK/set.txt" 2>&1 || { cat "$WORK/set.txt" >&2; fail "set exited non-zero"; }
changed="$(diff -rq "$WORK/pristine" "$WORK/team" || true)"
[ "$(printf '%s\n' "$changed" | grep -c .)" -eq 1 ] && printf '%s\n' "$changed" | grep -q "api-designer.md" \
    || fail "set should change api-designer.md only; the changes are: $changed"
lines="$(diff "$WORK/pristine/api-designer.md" "$WORK/team/api-designer.md" | grep -c '^[<>]' || true)"
[ "$lines" -eq 2 ] && has_line "model: haiku" "$WORK/team/api-designer.md" \
    || fail "set should replace the one line 'model: sonnet' with 'model: haiku'"
run_cli validate "$TEAM" > "$WORK/validate2.txt" 2>&1 || { cat "$WORK/validate2.txt" >&2; fail "validate after set exited non-zero"; }
ok "set changed exactly one line of api-designer.md; the team still validates"

run_gui "$TEAM" --screenshot "$(native "$WORK/shot.png")" > "$WORK/shot.txt" 2>&1 \
    || { cat "$WORK/shot.txt" >&2; fail "--screenshot exited non-zero"; }
png_ok "$WORK/shot.png" || fail "--screenshot wrote no PNG"
ok "--screenshot wrote a $(wc -c < "$WORK/shot.png" | tr -d ' ')-byte PNG"

listing "$INSTALL" > "$WORK/install-after.txt"
diff -u "$WORK/install-before.txt" "$WORK/install-after.txt" || fail "running the app wrote into its install folder"
diff -r "$WORK/pristine" "$SAMPLE" > /dev/null || fail "the bundled sample team was changed"
ok "nothing was written into the install folder; the bundled sample team is unchanged"
