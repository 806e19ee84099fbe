"""The one build step pyproject.toml cannot say: the top-level `resources/` folder (the source of the
templates, formats, indicator dictionary and demo, edited in the repository) goes into the wheel as
package data, `baocao_desktop/resources_data/`, which baocao_desktop/resources.py reads with
importlib.resources. A copy at build time rather than a symlink, which a Windows checkout would not keep.
Everything else is configured in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads resources/ in the checkout itself
        target = Path(self.build_lib) / "baocao_desktop" / "resources_data"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithResources})
