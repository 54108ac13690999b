"""Audio import in every supported format, bad files, the recorder on a file-backed stream, model resolution."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from prepdeck.recordings import audio
from prepdeck.recordings.audio import (
    SAMPLE_RATE,
    AudioError,
    AudioUnavailable,
    IncrementalWav,
    Recorder,
    audio_duration,
    file_stream_factory,
    iter_audio,
    load_audio,
)
from prepdeck.recordings.models import ModelUnavailable, resolve_model
from prepdeck.recordings.transcribe import Word, _windows, merge_fillers

FIXTURES = Path(__file__).parent / "fixtures" / "audio"


def tone(seconds: float, rate: int, freq: float = 440.0, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono


@pytest.mark.parametrize(
    ("suffix", "subtype", "rate", "channels"),
    [
        (".wav", "PCM_16", 16_000, 1),
        (".wav", "PCM_24", 44_100, 2),
        (".flac", "PCM_16", 48_000, 1),
        (".ogg", "VORBIS", 22_050, 2),
    ],
)
def test_load_converts_to_16k_mono_float32(
    tmp_path: Path, suffix: str, subtype: str, rate: int, channels: int
) -> None:
    path = tmp_path / f"a{suffix}"
    sf.write(path, tone(2.0, rate, channels=channels), rate, subtype=subtype)
    samples = load_audio(path)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert samples.size == pytest.approx(2.0 * SAMPLE_RATE, abs=0.02 * SAMPLE_RATE)
    assert audio_duration(path) == pytest.approx(2.0, abs=0.02)
    # the 440 Hz tone survives the conversion: its spectrum peaks at 440 Hz
    spectrum = np.abs(np.fft.rfft(samples[:SAMPLE_RATE]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)


def _encode_with_pyav(path: Path, codec: str, seconds: float = 2.0) -> None:
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=SAMPLE_RATE)
        stream.layout = "mono"
        samples = tone(seconds, SAMPLE_RATE)
        fmt = stream.codec_context.format.name
        frame_size = stream.codec_context.frame_size or 1024
        for i in range(0, samples.size, frame_size):
            chunk = samples[i : i + frame_size]
            frame = av.AudioFrame.from_ndarray(
                chunk.reshape(1, -1).astype(np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate = SAMPLE_RATE
            if fmt != "fltp":
                frame = av.AudioResampler(format=fmt, layout="mono", rate=SAMPLE_RATE).resample(frame)[0]
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.parametrize(("suffix", "codec"), [(".m4a", "aac"), (".mp3", "libmp3lame")])
def test_compressed_formats_through_pyav_or_libsndfile(tmp_path: Path, suffix: str, codec: str) -> None:
    import av

    path = tmp_path / f"a{suffix}"
    try:
        _encode_with_pyav(path, codec)
    except (av.FFmpegError, ValueError) as exc:  # this FFmpeg build has no such encoder
        pytest.skip(f"cannot encode {codec} here: {exc}")
    samples = load_audio(path)
    # lossy codecs add a few ms of encoder priming; the length is right within that
    assert samples.size == pytest.approx(2.0 * SAMPLE_RATE, abs=0.15 * SAMPLE_RATE)
    assert float(np.sqrt(np.mean(samples**2))) == pytest.approx(0.3 / np.sqrt(2), rel=0.2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt garbage that is not audio" * 3, "not a readable audio file"),
        (b"\x00\x01\x02\x03" * 1000, "not a readable audio file"),
    ],
)
def test_bad_files_give_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as err:
        load_audio(path)
    text = str(err.value)
    assert message in text and "\n" not in text and str(path) in text
    assert "Errno" not in text  # the decoder's error number means nothing to the user


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        audio_duration(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="folder"):
        load_audio(tmp_path)


def test_long_file_is_read_in_bounded_blocks(tmp_path: Path) -> None:
    path = tmp_path / "long.flac"
    with sf.SoundFile(path, "w", SAMPLE_RATE, 1, subtype="PCM_16") as f:
        for _ in range(30):  # 30 minutes, written a minute at a time
            f.write(np.zeros(60 * SAMPLE_RATE, np.float32))
    assert audio_duration(path) == pytest.approx(1800)
    biggest, total = 0, 0
    for block in iter_audio(path):
        biggest, total = max(biggest, block.size), total + block.size
    assert total == 1800 * SAMPLE_RATE
    assert biggest <= 30 * SAMPLE_RATE  # never the whole file at once


def test_windows_cut_long_audio_at_quiet_points_and_keep_every_sample() -> None:
    rate = SAMPLE_RATE
    loud = tone(1.0, rate)
    # speech-like: one second loud, half a second quiet, for 10 minutes, handed over in 7 s blocks
    pattern = np.concatenate([loud, np.zeros(rate // 2, np.float32)])
    full = np.tile(pattern, 400)
    blocks = (full[i : i + 7 * rate] for i in range(0, full.size, 7 * rate))
    windows = list(_windows(blocks, 60.0))
    assert sum(w.size for _o, w in windows) == full.size
    assert max(w.size for _o, w in windows) <= 70 * rate
    offset = 0.0
    for start, w in windows[:-1]:
        assert start == pytest.approx(offset)
        assert float(np.abs(w[-rate // 20 :]).max()) < 1e-6  # each cut fell in a quiet stretch
        offset += w.size / rate


def test_merge_fillers_adds_pass_two_um_in_time_order_and_shrinks_the_stretched_word() -> None:
    pass1 = [Word("that", 3.6, 4.5, 0.9), Word("kept", 4.5, 5.3, 0.9), Word("failing.", 5.3, 5.8, 0.9)]
    pass2 = [
        Word("that,", 3.6, 4.3, 0.9),
        Word("uh,", 4.8, 4.9, 0.8),
        Word("kept", 5.2, 5.3, 0.9),
        Word("failing.", 5.3, 5.8, 0.9),
    ]
    merged, status = merge_fillers(pass1, pass2)
    assert status == "merged"
    assert [w.text for w in merged] == ["that", "uh,", "kept", "failing."]
    assert merged[2].start == pytest.approx(4.9)  # "kept" no longer covers the "uh"
    # a filler pass 1 already has (within 0.5 s) is not added twice
    again, _ = merge_fillers(
        [*pass1[:1], Word("um", 4.7, 4.8, 0.5), *pass1[1:]], [Word("um,", 4.75, 4.9, 0.9)]
    )
    assert sum(w.text.startswith("um") for w in again) == 1


def test_merge_fillers_trusts_a_truncated_pass_only_where_it_transcribed() -> None:
    pass1 = [Word(f"w{i}", i, i + 0.5, 0.9) for i in range(20)]
    pass2 = [
        Word("um", 2.6, 2.8, 0.9),
        *[Word(f"w{i}", i, i + 0.5, 0.9) for i in range(5)],
        Word("uh", 15.6, 15.7, 0.5),
    ]
    merged, status = merge_fillers(pass1, pass2)
    assert status == "partial"
    assert [w.text for w in merged if w.text in ("um", "uh")] == ["um"]


# -- recording ---------------------------------------------------------------------------------------------


def test_recorder_writes_the_stream_to_disk_with_level_and_elapsed(tmp_path: Path) -> None:
    src = FIXTURES / "short.wav"
    levels: list[float] = []
    elapsed: list[float] = []
    out = tmp_path / "rec" / "take.wav"
    rec = Recorder(
        out, stream_factory=file_stream_factory(src), on_level=levels.append, on_elapsed=elapsed.append
    )
    rec.start()
    assert rec.recording
    rec._stream.finished.wait(10)  # the file-backed stream has delivered everything
    path = rec.stop()
    assert not rec.recording
    original, got = load_audio(src), load_audio(path)
    assert got.size == original.size
    assert np.abs(got - original).max() < 2 / 32767  # 16-bit PCM round trip
    assert elapsed[-1] == pytest.approx(original.size / SAMPLE_RATE)
    assert elapsed == sorted(elapsed)
    assert max(levels) > -40 and min(levels) <= -90  # speech and the silent lead-in


def test_recording_is_readable_before_stop_so_a_crash_loses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "take.wav"
    seen = threading.Event()
    rec = Recorder(
        out,
        stream_factory=file_stream_factory(FIXTURES / "answer_pause.flac", speed=8.0),
        on_elapsed=lambda s: seen.set() if s >= 2.0 else None,
    )
    rec.start()
    assert seen.wait(20)
    mid = sf.info(str(out))  # the header is already right: another process could read it now
    assert mid.frames >= 2 * SAMPLE_RATE and mid.samplerate == SAMPLE_RATE and mid.channels == 1
    rec.stop()
    assert sf.info(str(out)).frames >= mid.frames


def test_incremental_wav_header_matches_data_after_each_write(tmp_path: Path) -> None:
    wav = IncrementalWav(tmp_path / "x.wav")
    for n in (100, 1600, 7):
        wav.write(np.zeros(n, np.float32))
        assert sf.info(str(wav.path)).frames == wav.frames
    wav.close()
    assert wav.frames == 1707 and os.path.getsize(wav.path) == 44 + 2 * 1707


def test_recorder_without_a_device_raises_audio_unavailable_and_writes_nothing(tmp_path: Path) -> None:
    def no_device(*_args: object) -> object:
        raise AudioUnavailable("no microphone found (test); importing a file still works")

    out = tmp_path / "take.wav"
    with pytest.raises(AudioUnavailable):
        Recorder(out, stream_factory=no_device).start()
    assert not out.exists()


def test_missing_portaudio_message_is_one_line_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import sounddevice  # noqa: F401
    except OSError:
        pass
    else:
        pytest.skip("PortAudio is installed here")
    with pytest.raises(AudioUnavailable) as err:
        audio.sounddevice_stream(SAMPLE_RATE, 1, 1600, lambda *a: None)
    text = str(err.value)
    assert "\n" not in text and "libportaudio2" in text and "importing a file still works" in text
    assert audio.output_available() is False


# -- models -----------------------------------------------------------------------------------------------


def test_resolve_bundled_models(tmp_path: Path) -> None:
    spec = resolve_model("tiny.en")
    assert spec.name == "tiny.en" and (Path(spec.path) / "model.bin").is_file()
    default = resolve_model(None, home=tmp_path)  # base: the more accurate one (benchmarks/RESULTS.md)
    assert default.name == "base" and Path(default.path) == tmp_path / "models" / "whisper-base"


def test_base_is_assembled_once_atomically(tmp_path: Path) -> None:
    spec = resolve_model("accurate", home=tmp_path)
    folder = Path(spec.path)
    assert spec.name == "base" and folder == tmp_path / "models" / "whisper-base"
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json"}
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging left behind
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert Path(resolve_model("base", home=tmp_path).path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime  # not rebuilt


def test_model_paths_and_names(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="does not exist"):
        resolve_model(str(tmp_path / "missing-model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelUnavailable, match="not a CTranslate2"):
        resolve_model(str(tmp_path / "empty"))
    tiny = resolve_model("tiny.en").path
    spec = resolve_model(tiny)
    assert spec.path == tiny and not spec.download
    named = resolve_model("small.en")
    assert named.download and named.path == "small.en"
    pt = tmp_path / "medium.pt"
    pt.write_bytes(b"x")
    assert resolve_model(str(pt)).backend == "openai-whisper"


def test_named_model_offline_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from prepdeck.recordings.transcribe import Transcriber

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelUnavailable) as err:
        Transcriber("medium.en")
    assert str(err.value) == "model medium.en is not available offline; use tiny.en or base, or a folder"
