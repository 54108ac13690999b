"""Package discovery for a repository whose root is the `prepdeck` package (see pyproject.toml).

pyproject's `packages.find` cannot prefix what it finds with `prepdeck.`, and the root package would
ship every module beside it (`dev.py`, this file): both are decided here, so a new capability folder
or sub-package is in the wheel as soon as it has an `__init__.py`.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# development tooling at the repository root, not part of the installed package
NOT_SHIPPED = {"dev", "setup"}


class BuildPy(build_py):
    def find_package_modules(self, package, package_dir):  # type: ignore[no-untyped-def]
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not (package == "prepdeck" and m[1] in NOT_SHIPPED)]


SUBPACKAGES = find_packages(".", exclude=["tests", "tests.*", "benchmarks", "benchmarks.*", "docs", "docs.*"])
# folders of data inside a package (reports/templates): listed too, or setuptools warns it would skip them
DATA_FOLDERS = [
    ".".join(folder.parts)
    for name in SUBPACKAGES
    for folder in Path(*name.split(".")).rglob("*")
    if folder.is_dir() and folder.name != "__pycache__" and not (folder / "__init__.py").exists()
]

setup(
    packages=["prepdeck", *(f"prepdeck.{name}" for name in [*SUBPACKAGES, *DATA_FOLDERS])],
    cmdclass={"build_py": BuildPy},
)
