"""Packaging files: the release workflow against GitHub's schema, the installer scripts' names and
version, the PyInstaller spec's filtering, the icons' containers, and what the wheel carries.

The .deb itself is built, run, installed and removed by .ci/run (packaging/linux/verify-deb.sh)."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
import yaml

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ICONS = ROOT / "resources" / "icons"


# On Windows, subprocess finds System32's WSL bash before Git Bash; the workflow runs the scripts
# through Git Bash there, and these checks run on the Linux and macOS jobs and in .ci/run.
needs_posix_shell = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")


def check_workflow(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- the release workflow ------------------------------------------------------------------------


def test_release_workflow_is_valid_against_githubs_schema():
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_does_reject_a_broken_workflow(tmp_path):
    # The check above means something only if the validator fails on a real mistake.
    broken = yaml.safe_load(WORKFLOW.read_text())
    broken["jobs"]["build"]["runs-on"] = {"not": "a runner"}
    del broken["jobs"]["appimage"]["steps"]
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    assert check_workflow(path).returncode != 0


def test_release_workflow_builds_tests_and_uploads_on_all_three_systems():
    flow = yaml.safe_load(WORKFLOW.read_text())
    build = flow["jobs"]["build"]
    systems = {entry["os"]: entry["installer"] for entry in build["strategy"]["matrix"]["include"]}
    assert systems == {
        "ubuntu-22.04": "packaging/out/*.deb",
        "windows-latest": "packaging/out/*-setup.exe",
        "macos-latest": "packaging/out/*.dmg",
    }
    assert build["env"]["QT_QPA_PLATFORM"] == "offscreen"
    runs = [step.get("run", "") for step in build["steps"]]
    tests = next(i for i, r in enumerate(runs) if "pytest" in r)
    builds = next(i for i, r in enumerate(runs) if "packaging/build.sh" in r)
    assert tests < builds, "tests run before the build"
    uploads = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert any(s["with"]["path"] == "${{ matrix.installer }}" for s in uploads)
    appimage = flow["jobs"]["appimage"]
    assert appimage["runs-on"] == "ubuntu-22.04" and appimage["needs"] == "build"
    assert any("build-appimage.sh" in s.get("run", "") for s in appimage["steps"])
    # Signing secrets reach the build only as environment; the script skips signing without them.
    env = next(s for s in build["steps"] if "packaging/build.sh" in s.get("run", ""))["env"]
    assert env["MACOS_CERTIFICATE"] == "${{ secrets.MACOS_CERTIFICATE }}"
    dmg = (PACKAGING / "macos" / "build-dmg.sh").read_text()
    assert 'if [ -n "${MACOS_CERTIFICATE:-}" ]' in dmg and "unsigned" in dmg


@needs_posix_shell
def test_every_script_the_workflow_runs_exists_and_is_executable():
    text = WORKFLOW.read_text()
    scripts = set(re.findall(r"packaging/[\w/-]+\.sh", text))
    assert {
        "packaging/build.sh",
        "packaging/linux/verify-deb.sh",
        "packaging/linux/build-appimage.sh",
    } <= scripts
    for script in scripts | {"packaging/linux/build-deb.sh", "packaging/macos/build-dmg.sh"}:
        path = ROOT / script
        assert path.is_file(), script
        assert subprocess.run(["bash", "-n", str(path)], check=False, capture_output=True).returncode == 0, (
            script
        )
        if sys.platform != "win32":
            assert path.stat().st_mode & 0o111, f"{script} is not executable"


def _index(steps: list, text: str) -> int:
    """The position of the first step whose command contains `text`."""
    found = [i for i, step in enumerate(steps) if text in step.get("run", "")]
    assert found, f"no step runs {text!r}"
    return found[0]


def test_release_workflow_runs_the_whole_test_suite_before_building():
    # The oracle is the Makefile: the workflow must run what `make test` runs, before the build.
    make = (ROOT / "Makefile").read_text()
    ruff = re.search(r"\$\(BIN\)/(ruff check [^\n]+)", make).group(1).strip()
    platforms = re.search(r"for platform in ([\w ]+); do", make).group(1).split()
    assert re.search(r"^test: .*\btypecheck\b", make, re.MULTILINE), "make test includes the type check"
    assert set(platforms) == {"linux", "win32", "darwin"}
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    build = _index(steps, "packaging/build.sh")
    for command in ("python -m pytest", f"python -m {ruff}", "python -m mypy --platform"):
        at = _index(steps, command)
        assert at < build, f"{command!r} runs after the build"
        assert "if" not in steps[at], f"{command!r} must run on every system"
    typecheck = steps[_index(steps, "python -m mypy --platform")]["run"]
    assert re.search(r"for platform in ([\w ]+); do", typecheck).group(1).split() == platforms
    assert "|| exit 1" in typecheck  # one platform's failure fails the step


def test_release_workflow_smoke_tests_every_installer_after_building_and_before_uploading():
    flow = yaml.safe_load(WORKFLOW.read_text())
    build = flow["jobs"]["build"]
    smoke = {entry["os"]: entry["smoke"] for entry in build["strategy"]["matrix"]["include"]}
    assert smoke == {
        "ubuntu-22.04": "packaging/smoke-test-linux.sh",
        "windows-latest": "packaging/smoke-test-windows.sh",
        "macos-latest": "packaging/smoke-test-macos.sh",
    }
    steps = build["steps"]
    at = _index(steps, "${{ matrix.smoke }}")
    assert "if" not in steps[at]  # on all three systems
    assert steps[at]["run"].strip() == 'bash "${{ matrix.smoke }}" ${{ matrix.installer }}'
    assert build["defaults"]["run"]["shell"] == "bash"  # Git Bash on Windows
    uploads = [i for i, s in enumerate(steps) if s.get("with", {}).get("path") == "${{ matrix.installer }}"]
    assert _index(steps, "packaging/build.sh") < at < uploads[0]
    appimage = flow["jobs"]["appimage"]["steps"]
    at = _index(appimage, "packaging/smoke-test-appimage.sh packaging/out/*.AppImage")
    upload = next(i for i, s in enumerate(appimage) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert _index(appimage, "build-appimage.sh") < at < upload
    assert "libxkbcommon-x11-0" in appimage[_index(appimage, "apt-get install")]["run"]


SMOKE_SCRIPTS = {
    # script: what installs, what uninstalls, what checks the removal
    "smoke-test-windows.sh": ("/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER",
                              '"$APPDIR/unins000.exe" /VERYSILENT', 'reg query "$KEY"'),
    "smoke-test-macos.sh": ('hdiutil attach "$DMG"', 'rm -rf "$APP"', "hdiutil info"),
    "smoke-test-linux.sh": ('$SUDO dpkg -i "$DEB"', '$SUDO dpkg -r "$NAME"', 'if installed "$NAME"'),
    "smoke-test-appimage.sh": ("--appimage-extract-and-run", 'rm -f "$IMAGE"', 'ls -A "$INSTALL"'),
}


def test_each_smoke_script_installs_uses_the_app_and_uninstalls_in_that_order():
    for name, (install, uninstall, gone) in SMOKE_SCRIPTS.items():
        text = (PACKAGING / name).read_text()
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        code = "\n".join(lines)
        use = code.index('bash "$HERE/smoke-test.sh"')
        assert code.index(install) < use < code.index(uninstall) < code.rindex(gone), name
        assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text, name
    windows = (PACKAGING / "smoke-test-windows.sh").read_text()
    assert "MSYS2_ARG_CONV_EXCL='*'" in windows  # else Git Bash turns /VERYSILENT into a path
    iss = (PACKAGING / "windows" / "agent-canvas.iss").read_text()
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", iss, re.MULTILINE)  # the shape the script's sed reads
    macos = (PACKAGING / "smoke-test-macos.sh").read_text()
    assert 'cp -R "$MOUNT/Agent Canvas.app" "$APPS/"' in macos and 'APPS="$BASE/Applications"' in macos


@needs_posix_shell
def test_every_smoke_script_parses_and_is_executable():
    scripts = sorted(PACKAGING.glob("smoke-test*.sh"))
    assert {p.name for p in scripts} == {"smoke-test.sh", *SMOKE_SCRIPTS}
    for path in scripts:
        done = subprocess.run(["bash", "-n", str(path)], check=False, capture_output=True, text=True)
        assert done.returncode == 0, f"{path.name}: {done.stderr}"
        assert path.stat().st_mode & 0o111, f"{path.name} is not executable"


def _fake_install(tmp_path: Path, extra: str = "") -> list[str]:
    """smoke-test.sh's arguments for this checkout's app as if installed: a launcher that runs
    `python -m app` (plus `extra`, shell run after each command), the repo's sample team, and an
    install folder holding the launcher."""
    install = tmp_path / "install"
    install.mkdir()
    launcher = install / "agent-canvas"
    launcher.write_text(f'#!/bin/sh\n"{sys.executable}" -m app "$@" || exit $?\n{extra}\n')
    launcher.chmod(0o755)
    return ["bash", str(PACKAGING / "smoke-test.sh"), str(launcher), str(launcher), str(ROOT / "agents"), str(install)]


@needs_posix_shell
def test_the_smoke_test_passes_on_a_working_app(tmp_path):
    done = subprocess.run(_fake_install(tmp_path), check=False, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for check in ("--version prints 'agent-canvas " + __version__, "0 errors", "set changed exactly one line",
                  "-byte PNG", "nothing was written into the install folder"):
        assert check in done.stdout


@needs_posix_shell
@pytest.mark.parametrize(("extra", "reason"), [
    # an app that leaves a file in its install folder
    ('touch "$(dirname "$0")/crash.log"', "wrote into its install folder"),
    # a `set` that also changes a second agent file
    ('[ "$1" = set ] && echo "# extra" >> "$2/code-reviewer.md"', "set should change api-designer.md only"),
    # a --screenshot that writes something that is not a PNG
    ('[ "$2" = --screenshot ] && echo text > "$3"', "wrote no PNG"),
])
def test_the_smoke_test_catches_a_broken_install(tmp_path, extra, reason):
    done = subprocess.run(_fake_install(tmp_path, extra + "; exit 0"), check=False, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert reason in done.stderr


# --- one version, one name -----------------------------------------------------------------------


def test_the_version_is_written_in_one_place_only():
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)?", __version__)
    files = [p for p in PACKAGING.rglob("*") if p.is_file() and "out" not in p.relative_to(PACKAGING).parts]
    files += [WORKFLOW, ROOT / "setup.py", ROOT / "pyproject.toml"]
    for path in files:
        if path.suffix in {".png", ".ico", ".icns"}:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(rf"(?<![\d.]){re.escape(__version__)}(?![\d.])", text), (
            f"{path.relative_to(ROOT)} repeats the version; read it from app/__init__.py"
        )
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text()


@needs_posix_shell
def test_version_readers_in_the_shell_scripts_find_the_real_version():
    # build-deb.sh, build-dmg.sh, build-appimage.sh, build.sh, verify-deb.sh all use this sed.
    sed = r's/^__version__ = "\(.*\)"$/\1/p'
    for script in PACKAGING.rglob("*.sh"):
        assert sed in script.read_text(), script
    out = subprocess.run(
        ["sed", "-n", sed, str(ROOT / "app" / "__init__.py")], check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == __version__


def test_inno_setup_script():
    iss = (PACKAGING / "windows" / "agent-canvas.iss").read_text()
    setup = dict(
        line.split("=", 1)
        for line in iss.split("[Setup]")[1].split("\n[")[0].splitlines()
        if "=" in line and not line.startswith(";")
    )
    assert setup["PrivilegesRequired"] == "lowest"  # per-user, no administrator
    assert setup["AppVersion"] == "{#AppVersion}"  # passed in: iscc /DAppVersion=...
    assert "#error" in iss.split("[Setup]")[0]  # refuses to build without a version
    assert setup["OutputBaseFilename"] == "agent-canvas-{#AppVersion}-setup"
    assert setup["DefaultDirName"] == "{autopf}\\{#AppName}"  # %LOCALAPPDATA%\Programs when per-user
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    icon = (PACKAGING / "windows" / setup["SetupIconFile"].replace("\\", "/")).resolve()
    assert icon == ICONS / "agent-canvas.ico" and icon.is_file()
    assert '#define AppExeName "agent-canvas.exe"' in iss  # the spec's EXE name on Windows
    assert 'Name: "{autoprograms}\\{#AppName}"; Filename: "{app}\\{#AppExeName}"' in iss  # Start menu
    assert setup["UninstallDisplayIcon"] == "{app}\\{#AppExeName}"
    build = (PACKAGING / "build.sh").read_text()
    assert "//DAppVersion=$VERSION" in build and "agent-canvas-$VERSION-setup.exe" in build


def test_desktop_entry_and_deb_layout_agree():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PACKAGING / "linux" / "agent-canvas.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Agent Canvas"
    assert desktop["Exec"].split()[0] == "agent-canvas" == desktop["TryExec"] == desktop["Icon"]
    assert desktop["Exec"].split()[1:] == ["%f"]  # a team folder dropped on the launcher opens
    assert desktop["Terminal"] == "false" and desktop["Categories"].endswith(";")
    deb = (PACKAGING / "linux" / "build-deb.sh").read_text()
    assert 'ln -s "/opt/$NAME/$NAME" "$PKG/usr/bin/$NAME"' in deb and "NAME=agent-canvas" in deb
    assert '"$PKG/usr/share/applications/$NAME.desktop"' in deb
    assert "hicolor/${size}x${size}/apps/$NAME.png" in deb and "hicolor/scalable/apps/$NAME.svg" in deb
    depends = re.search(r'DEPENDS="(.*?)"', deb, re.DOTALL).group(1)
    for lib in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1"):
        assert lib in depends
    assert "postinst" not in deb and "prerm" not in deb and "postrm" not in deb  # no maintainer scripts


def test_macos_info_plist():
    info = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] == "io.github.agentcanvas.AgentCanvas"
    assert info["NSHighResolutionCapable"] is True
    assert info["CFBundleExecutable"] == "agent-canvas"
    assert (ICONS / info["CFBundleIconFile"]).is_file()
    assert "CFBundleShortVersionString" not in info  # filled in by the spec from app.__version__
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


# --- the PyInstaller spec, run with PyInstaller's build objects stubbed ---------------------------


class _Recorder:
    def __init__(self, kind, calls):
        self.kind, self.calls = kind, calls

    def __call__(self, *args, **kwargs):
        self.calls.append((self.kind, args, kwargs))
        if self.kind == "Analysis":
            return types.SimpleNamespace(
                binaries=list(FAKE_BINARIES), datas=list(FAKE_DATAS), pure=[], scripts=[]
            )
        return types.SimpleNamespace(args=args, kwargs=kwargs)


Q = "PySide6/Qt"
FAKE_BINARIES = [
    (f"{Q}/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
    (f"{Q}/plugins/platforms/libqoffscreen.so", "/src/libqoffscreen.so", "BINARY"),
    (f"{Q}/plugins/platforms/libqwayland.so", "/src/libqwayland.so", "BINARY"),
    (f"{Q}/plugins/platforms/libqeglfs.so", "/src/libqeglfs.so", "BINARY"),
    (f"{Q}/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY"),
    (f"{Q}/plugins/platformthemes/libqxdgdesktopportal.so", "/src/libqxdgdesktopportal.so", "BINARY"),
    (f"{Q}/plugins/imageformats/libqsvg.so", "/src/libqsvg.so", "BINARY"),
    (f"{Q}/plugins/imageformats/libqtiff.so", "/src/libqtiff.so", "BINARY"),
    (f"{Q}/plugins/tls/libqopensslbackend.so", "/src/libqopensslbackend.so", "BINARY"),
    (f"{Q}/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
    (f"{Q}/lib/libQt6WaylandClient.so.6", "/src/libQt6WaylandClient.so.6", "BINARY"),
    (f"{Q}/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
    ("libQt6Network.so.6", f"{Q}/lib/libQt6Network.so.6", "SYMLINK"),
    ("libQt6Gui.so.6", f"{Q}/lib/libQt6Gui.so.6", "SYMLINK"),
    ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
    ("libfontconfig.so.1", "/usr/lib/libfontconfig.so.1", "BINARY"),
    ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
]
FAKE_DATAS = [
    (f"{Q}/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
    ("resources/icons/agent-canvas.svg", "/src/agent-canvas.svg", "DATA"),
    ("agents/backend-specialist.md", "/src/backend-specialist.md", "DATA"),
]
# Who links whom: the extension and xcb need Gui, Gui needs fontconfig, Wayland its client
# library; GTK and QtNetwork only through plugins the spec drops.
FAKE_IMPORTS = {
    "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
    "/src/libqxcb.so": ["libQt6Gui.so.6"],
    "/src/libQt6Gui.so.6": ["libfontconfig.so.1"],
    "/src/libqgtk3.so": ["libgtk-3.so.0"],
    "/src/libqwayland.so": ["libQt6WaylandClient.so.6"],
    "/src/libqopensslbackend.so": ["libQt6Network.so.6"],
}


def run_spec(monkeypatch, platform: str, workpath: Path) -> list:
    calls: list = []
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name: [f"{name}.stub"]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda src: [(name, None) for name in FAKE_IMPORTS.get(src, [])]
    for name, module in {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.depend": types.ModuleType("PyInstaller.depend"),
        "PyInstaller.depend.bindepend": bindepend,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys, "platform", platform)
    spec = PACKAGING / "agent-canvas.spec"
    namespace = {"SPECPATH": str(PACKAGING), "__file__": str(spec), "workpath": str(workpath)}
    namespace.update(
        {kind: _Recorder(kind, calls) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    )
    exec(compile(spec.read_text(), str(spec), "exec"), namespace)  # noqa: S102 - our own spec
    return calls


def call(calls, kind):
    return next((args, kwargs) for k, args, kwargs in calls if k == kind)


def test_spec_keeps_what_the_app_uses_and_drops_the_rest(monkeypatch, capsys, tmp_path):
    calls = run_spec(monkeypatch, "linux", tmp_path)
    args, kwargs = call(calls, "COLLECT")
    kept = {entry[0] for toc in args[1:3] for entry in toc}
    assert kept == {
        f"{Q}/plugins/platforms/libqxcb.so",
        f"{Q}/plugins/platforms/libqoffscreen.so",
        f"{Q}/plugins/platforms/libqwayland.so",
        f"{Q}/lib/libQt6WaylandClient.so.6",
        f"{Q}/plugins/platformthemes/libqxdgdesktopportal.so",
        f"{Q}/plugins/imageformats/libqsvg.so",
        f"{Q}/lib/libQt6Gui.so.6",
        "libQt6Gui.so.6",  # the symlink stays with its target...
        "libfontconfig.so.1",
        "PySide6/QtGui.abi3.so",
        "resources/icons/agent-canvas.svg",
        "agents/backend-specialist.md",
    }  # ...while QtNetwork's symlink, GTK, TLS, tiff, eglfs and translations are gone
    assert kwargs["name"] == "agent-canvas"
    analysis_args, analysis = call(calls, "Analysis")
    assert analysis_args[0] == [str(PACKAGING / "launcher.py")]
    assert (str(ROOT / "resources"), "resources") in analysis["datas"]
    assert (str(ROOT / "agents"), "agents") in analysis["datas"]
    assert analysis["noarchive"] is True  # plain .pyc files start faster than the PYZ archive
    assert analysis["runtime_hooks"] == [str(PACKAGING / "rthook_env.py")]
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtPdf", "PySide6.QtMultimedia", "tkinter"):
        assert module in analysis["excludes"]
    assert "PySide6.QtSvg" not in analysis["excludes"]  # the app exports SVG and draws its SVG icon
    assert "libgtk-3.so.0" in capsys.readouterr().out  # the build log says what was left out
    _args, exe = call(calls, "EXE")
    assert exe["console"] is False and exe["name"] == "agent-canvas"
    # shiboken6's support modules travel as files with .pyc that need no source check
    support = tmp_path / "shiboken6-files.dir"
    assert (str(support), "shiboken6/files.dir") in analysis["datas"]
    loader = support / "shibokensupport" / "signature" / "loader.py"
    assert loader.is_file() and (support / "signature_bootstrap.py").is_file()
    pyc = loader.parent / "__pycache__" / f"loader.{sys.implementation.cache_tag}.pyc"
    assert int.from_bytes(pyc.read_bytes()[4:8], "little") == 0b01  # unchecked hash-based (PEP 552)


def test_spec_builds_a_mac_app_with_the_version_and_icon(monkeypatch, tmp_path):
    calls = run_spec(monkeypatch, "darwin", tmp_path)
    _args, analysis = call(calls, "Analysis")
    assert not any(dest == "shiboken6/files.dir" for _src, dest in analysis["datas"])  # codesign
    _args, bundle = call(calls, "BUNDLE")
    assert bundle["name"] == "Agent Canvas.app"
    assert bundle["bundle_identifier"] == "io.github.agentcanvas.AgentCanvas"
    assert bundle["version"] == __version__
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True
    assert Path(bundle["icon"]) == ICONS / "agent-canvas.icns"
    _args, exe = call(calls, "EXE")
    assert Path(exe["icon"]) == ICONS / "agent-canvas.icns"
    # No library pruning off Linux: everything but dropped plugins and translations is kept.
    args, _kwargs = call(calls, "COLLECT")
    assert "libgtk-3.so.0" in {entry[0] for entry in args[1]}


def test_spec_on_windows_uses_the_ico(monkeypatch, tmp_path):
    # Windows wheels keep plugins and translations directly under PySide6/, not PySide6/Qt/.
    monkeypatch.setattr(
        sys.modules[__name__],
        "FAKE_DATAS",
        [*FAKE_DATAS, ("PySide6/translations/qt_de.qm", "/src/qt_de.qm", "DATA")],
    )
    monkeypatch.setattr(
        sys.modules[__name__],
        "FAKE_BINARIES",
        [
            ("PySide6/plugins/platforms/qwindows.dll", "/src/qwindows.dll", "BINARY"),
            ("PySide6/plugins/platforms/qdirect2d.dll", "/src/qdirect2d.dll", "BINARY"),
            ("PySide6/plugins/styles/qmodernwindowsstyle.dll", "/src/qmodernwindowsstyle.dll", "BINARY"),
        ],
    )
    calls = run_spec(monkeypatch, "win32", tmp_path)
    args, _kwargs = call(calls, "COLLECT")
    kept = {entry[0] for toc in args[2:4] for entry in toc}
    assert kept == {
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "resources/icons/agent-canvas.svg",
        "agents/backend-specialist.md",
    }
    _args, exe = call(calls, "EXE")
    assert Path(exe["icon"]) == ICONS / "agent-canvas.ico"
    assert not [c for c in calls if c[0] == "BUNDLE"]
    # ...and a console twin for the command line, collected into the same folder.
    exes = [kwargs for kind, _args, kwargs in calls if kind == "EXE"]
    assert [(e["name"], e["console"]) for e in exes] == [("agent-canvas", False), ("agent-canvas-cli", True)]
    args, _kwargs = call(calls, "COLLECT")
    assert len(args) == 4  # both programs, then the binaries and the data


# --- icons ---------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512, 1024])
def test_png_icons_have_their_size(size):
    assert png_size((ICONS / "png" / f"agent-canvas-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_png_entries_16_to_256():
    data = (ICONS / "agent-canvas.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _colors, _res, _planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        payload = data[offset : offset + length]
        assert len(payload) == length and bpp == 32
        assert png_size(payload) == (w or 256, h or 256)
        sizes.append(w or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_holds_the_retina_set_with_a_table_of_contents():
    data = (ICONS / "agent-canvas.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    elements, pos = {}, 8
    while pos < len(data):
        ostype, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        elements[ostype] = data[pos + 8 : pos + length]
        pos += length
    assert pos == len(data)
    expected = {
        b"ic11": 32,
        b"ic12": 64,
        b"ic07": 128,
        b"ic13": 256,
        b"ic08": 256,
        b"ic14": 512,
        b"ic09": 512,
        b"ic10": 1024,
    }
    toc = elements.pop(b"TOC ")
    assert [toc[i : i + 4] for i in range(0, len(toc), 8)] == list(expected)
    assert {k: png_size(v)[0] for k, v in elements.items()} == expected


def test_icon_files_are_what_make_icons_writes(tmp_path, monkeypatch):
    # The containers are a pure function of the PNGs: rebuild them from the committed PNGs.
    sys.path.insert(0, str(PACKAGING))
    try:
        import make_icons
    finally:
        sys.path.remove(str(PACKAGING))
    pngs = {s: (ICONS / "png" / f"agent-canvas-{s}.png").read_bytes() for s in make_icons.SIZES}
    ico = make_icons.ico_bytes({s: pngs[s] for s in make_icons.ICO_SIZES})
    assert ico == (ICONS / "agent-canvas.ico").read_bytes()
    assert make_icons.icns_bytes(pngs) == (ICONS / "agent-canvas.icns").read_bytes()
    assert 'class="detail"' in (ICONS / "agent-canvas.svg").read_text()
    assert 'class="detail"' not in make_icons.svg_for(
        16
    ).decode() and b'class="detail"' in make_icons.svg_for(32)


# --- the wheel -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (path,) = out.glob("agent_canvas-*.whl")
    return path


def test_wheel_carries_resources_and_the_sample_team(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("resources", "agents"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"app/_data/{folder}/{path.relative_to(ROOT / folder).as_posix()}" in names, path
    assert not [n for n in names if n.startswith(("resources/", "agents/"))]  # nothing at top level
    assert f"agent_canvas-{__version__}.dist-info/METADATA" in names


def test_installed_wheel_finds_its_own_copies(wheel, tmp_path):
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # -S: no site-packages, so the editable checkout cannot be imported instead.
    probe = (
        "import app.resources as r; print(r.sample_team_dir()); print(r.icon_path()); print(r.icon_path(48))"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
            "PYTHONPATH": str(target),
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    team, svg, png = (Path(line) for line in result.stdout.splitlines())
    assert team == target / "app" / "_data" / "agents"
    assert svg == target / "app" / "_data" / "resources" / "icons" / "agent-canvas.svg"
    assert png.name == "agent-canvas-48.png" and png.read_bytes() == (ICONS / "png" / png.name).read_bytes()
    assert sorted(p.name for p in team.glob("*.md")) == sorted(p.name for p in (ROOT / "agents").glob("*.md"))
    shutil.rmtree(target)
