"""Only one thing here that pyproject.toml cannot say: the wheel carries the top-level
`resources/` and sample team `agents/` folders inside the package, as `app/_data/resources`
and `app/_data/agents`, where app/resources.py finds them in an installed wheel.
(A checkout and an editable install use the top-level folders directly.)"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("resources", "agents")


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable install reads the checkout's folders in place
        for name in DATA_DIRS:
            src = ROOT / name
            dst = Path(self.build_lib) / "app" / "_data" / name
            if dst.exists():
                shutil.rmtree(dst)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_data})
