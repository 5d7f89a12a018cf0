"""Where the app's own files are: `resources/` (icons) and the sample team `agents/`.

The same code runs in three layouts and finds both folders in each:

- a checkout (or an editable install): `<repo>/resources` and `<repo>/agents`;
- an installed wheel: the build copies both folders into the package as `app/_data/resources`
  and `app/_data/agents` (see setup.py);
- a frozen PyInstaller bundle: `<sys._MEIPASS>/resources` and `<sys._MEIPASS>/agents`
  (see packaging/agent-canvas.spec).

Those folders belong to the installation and are read-only as far as the app is concerned: the
sample team is opened from a copy the user owns (`copy_sample_team`), never in place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Agent Canvas"
SAMPLE_FOLDER_NAME = "Agent Canvas sample team"
ICON_NAME = "agent-canvas"

_PACKAGE_DIR = Path(__file__).resolve().parent


class ResourceError(Exception):
    """A bundled folder is missing or the sample team cannot be copied; str(e) says what to do."""


def _data_roots() -> list[Path]:
    """Folders that may hold `resources/` and `agents/`, most specific layout first."""
    roots: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        roots.append(Path(meipass))
    roots.append(_PACKAGE_DIR / "_data")
    checkout = _PACKAGE_DIR.parent
    # Only a real checkout: site-packages may hold an unrelated top-level "resources" package.
    if (checkout / "pyproject.toml").is_file():
        roots.append(checkout)
    return roots


def _find(name: str) -> Path:
    for root in _data_roots():
        candidate = root / name
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(r / name) for r in _data_roots())
    raise ResourceError(
        f"Agent Canvas cannot find its '{name}' folder (looked in {searched}). "
        "The installation looks incomplete: please reinstall Agent Canvas."
    )


def resources_dir() -> Path:
    """The read-only `resources/` folder (icons)."""
    return _find("resources")


def sample_team_dir() -> Path:
    """The read-only bundled sample team. Open `copy_sample_team()` instead of this folder."""
    return _find("agents")


def icon_path(size: int | None = None) -> Path:
    """The app icon: the SVG source when `size` is None, else the nearest PNG at least `size` px."""
    icons = resources_dir() / "icons"
    if size is None:
        return icons / f"{ICON_NAME}.svg"
    pngs = sorted(
        (int(p.stem.rsplit("-", 1)[1]), p)
        for p in (icons / "png").glob(f"{ICON_NAME}-*.png")
        if p.stem.rsplit("-", 1)[1].isdigit()
    )
    if not pngs:
        raise ResourceError("Agent Canvas cannot find its icon files. Please reinstall Agent Canvas.")
    for px, path in pngs:
        if px >= size:
            return path
    return pngs[-1][1]


def install_dirs() -> list[Path]:
    """Folders that belong to the installation; the app never writes inside them."""
    dirs = [_PACKAGE_DIR]
    if getattr(sys, "frozen", False):
        dirs.append(Path(sys.executable).resolve().parent)
        meipass = getattr(sys, "_MEIPASS", None)  # PyInstaller's unpacked bundle
        if meipass:
            dirs.append(Path(meipass).resolve())
    for name in ("resources", "agents"):
        try:
            dirs.append(_find(name).resolve())
        except ResourceError:
            pass
    return dirs


def default_sample_destination() -> Path:
    """`<Documents>/Agent Canvas sample team` (home folder if the system has no Documents)."""
    try:
        from platformdirs import user_documents_dir

        docs = Path(user_documents_dir())
    except (ImportError, OSError, ValueError):  # platformdirs missing or the system cannot say
        docs = Path.home()
    return docs / SAMPLE_FOLDER_NAME


def fresh_path(dest: Path) -> Path:
    """`dest` if nothing is there, else `dest (2)`, `dest (3)`… — the first free name."""
    if not dest.exists() and not dest.is_symlink():
        return dest
    n = 2
    while True:
        candidate = dest.with_name(f"{dest.name} ({n})")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def copy_sample_team(dest: Path | None = None, *, source: Path | None = None) -> Path:
    """Copy the bundled sample team to `dest` (default: `default_sample_destination()`) and
    return the folder it was copied to — `dest` itself, or a fresh `dest (2)`… when `dest`
    already exists, so nothing of the user's is ever overwritten.

    The copy is made in a temporary folder beside the destination and renamed into place, so
    a failure leaves no half-copied team behind. Copied files get the user's default
    permissions (never the install folder's read-only ones). Refuses to write inside the
    installation. Raises ResourceError with a plain-English reason.
    """
    src = Path(source) if source is not None else sample_team_dir()
    target = Path(dest).expanduser() if dest is not None else default_sample_destination()
    target = Path(os.path.abspath(target))
    resolved = target.parent.resolve() / target.name
    for folder in install_dirs():
        if _inside(resolved, folder):
            raise ResourceError(
                f"Agent Canvas will not write into its own installation folder ({folder}). "
                "Please choose a folder of your own, such as your Documents folder."
            )
    if _inside(resolved, src.resolve()):
        raise ResourceError("Please choose a folder outside the sample team itself.")

    import shutil  # imported here: the editor's start needs only the paths above
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".agent-canvas-copy-", dir=target.parent))
    except OSError as e:
        raise ResourceError(
            f"Could not create a folder in {target.parent}: {e.strerror or e}. Please choose another folder."
        ) from None
    try:
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel = Path(dirpath).relative_to(src)
            (tmp / rel).mkdir(exist_ok=True)
            for name in sorted(filenames):
                # copyfile: the bytes only, not the install folder's (maybe read-only) mode.
                shutil.copyfile(Path(dirpath) / name, tmp / rel / name)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0700; give it a normal folder's mode
        final = fresh_path(target)
        os.rename(tmp, final)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ResourceError(
            f"Could not copy the sample team to {target.parent}: {e.strerror or e}. "
            "Please choose another folder."
        ) from None
    return final


def _umask() -> int:
    if os.name == "nt":
        return 0
    mask = os.umask(0)
    os.umask(mask)
    return mask
