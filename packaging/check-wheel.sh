#!/usr/bin/env bash
# The wheel is a product too (`make check-wheel`, part of `make test`): build the sdist and the
# wheel the way a release does (`python -m build`: the wheel is built from the sdist, so a file
# MANIFEST.in forgets is caught), check their metadata (`twine check --strict`), install the
# wheel into a fresh virtual environment OUTSIDE the checkout, as `pipx install` would, and run
# what a user runs: --version, validate on the bundled sample team in every format, and the
# editor's --screenshot (offscreen). pip's cache is reused, so only the first run downloads.
# PYTHON names a Python that has build and twine (default: the project's .venv).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
START=$SECONDS

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agent-canvas-wheel.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
step() { printf 'check-wheel: %-66s (%ds)\n' "$1" $((SECONDS - START)); }
fail() { echo "check-wheel: FAILED: $1" >&2; exit 1; }

step "building the sdist and the wheel"
"$PYTHON" -m build --outdir "$WORK/dist" "$ROOT" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "python -m build"; }
if grep -n "Warning\|WARNING" "$WORK/build.log" | grep -v "pypi-more\|pypi/simple\|is ignored" >&2; then
    fail "the build warned (above)"
fi
WHEEL="$WORK/dist/agent_canvas-$VERSION-py3-none-any.whl"
[ -f "$WHEEL" ] || fail "no wheel $WHEEL"
[ -f "$WORK/dist/agent_canvas-$VERSION.tar.gz" ] || fail "no sdist"

step "twine check --strict, and the metadata a package index shows"
"$PYTHON" -m twine check --strict "$WORK"/dist/* || fail "twine check"
"$PYTHON" - "$WHEEL" <<'PY' || fail "the wheel's metadata is incomplete"
import sys, zipfile
from email.parser import Parser
wheel = zipfile.ZipFile(sys.argv[1])
meta = Parser().parsestr(wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode())
wanted = {"License-Expression": ["MIT"], "License-File": ["LICENSE"], "Description-Content-Type": ["text/markdown"]}
missing = [f"{key}: {value}" for key, values in wanted.items() for value in values if value not in meta.get_all(key, [])]
missing += [key for key in ("Summary", "Requires-Python", "Author-email", "Keywords") if not meta.get(key)]
if len(meta.get_all("Classifier", [])) < 5 or len(meta.get_all("Project-URL", [])) < 3:
    missing.append("Classifier / Project-URL")
if not any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist()):
    missing.append("the LICENSE file")
if missing:
    sys.exit("missing: " + ", ".join(missing))
PY

step "installing the wheel into a fresh venv"
"$PYTHON" -m venv "$WORK/venv"  # on the base interpreter: none of .venv's packages are seen
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
[ -x "$WORK/venv/bin/agent-canvas" ] || fail "pip did not install the agent-canvas command"

# Run from a folder with nothing of the checkout in it, with the user's settings, journal and
# documents out of reach.
mkdir -p "$WORK/run" "$WORK/home"
cd "$WORK/run"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
export AGENT_CANVAS_JOURNAL_DIR="$WORK/home/journal" QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
AC="$WORK/venv/bin/agent-canvas"

step "agent-canvas --version"
[ "$("$AC" --version)" = "agent-canvas $VERSION" ] || fail "--version said $("$AC" --version)"

SAMPLE="$("$WORK/venv/bin/python" -c 'import app.resources as r; print(r.sample_team_dir())')"
case "$SAMPLE" in "$WORK/venv/"*) ;; *) fail "the sample team is not the installed one: $SAMPLE" ;; esac
ICON="$("$WORK/venv/bin/python" -c 'import app.resources as r; print(r.icon_path(48))')"
[ -s "$ICON" ] || fail "no icon at $ICON"

step "agent-canvas validate on the bundled sample team"
"$AC" validate "$SAMPLE" > "$WORK/validate.txt" || { cat "$WORK/validate.txt" >&2; fail "validate"; }
grep -q "^12 agents, 0 errors, 0 warnings$" "$WORK/validate.txt" || { cat "$WORK/validate.txt" >&2; fail "validate's summary"; }
for format in json github sarif; do
    "$AC" validate --format "$format" "$SAMPLE" > "$WORK/validate.$format" || fail "validate --format $format"
done
"$WORK/venv/bin/python" -c 'import json, sys; json.load(open(sys.argv[1])); json.load(open(sys.argv[2]))' \
    "$WORK/validate.json" "$WORK/validate.sarif" || fail "validate's json or sarif is not JSON"

step "agent-canvas TEAM --screenshot (offscreen)"
cp -R "$SAMPLE" "$WORK/team"  # the user's copy: the installed folder is read-only to the app
"$AC" "$WORK/team" --select backend-specialist --screenshot "$WORK/shot.png" || fail "--screenshot"
[ "$(head -c 8 "$WORK/shot.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "no PNG written"

step "done: the wheel installs and runs"
