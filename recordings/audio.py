"""Audio in and out: read any supported file as 16 kHz mono float32, record from the microphone to disk.

Reading tries libsndfile (`soundfile`: wav, flac, ogg, mp3) first, and PyAV (FFmpeg: m4a, and anything
libsndfile refuses) second. Files are read in blocks, so a 30-minute answer never has to sit in memory
twice. Recording writes a WAV file as it goes and rewrites the header after every block, so a crash
(or a pulled plug) loses at most the last fraction of a second.

`sounddevice` needs the PortAudio shared library; without it, or without an input device, recording
raises `AudioUnavailable` with one line that says what to install, and importing a file still works.
"""

from __future__ import annotations

import math
import os
import queue
import re
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

SAMPLE_RATE = 16_000
SUPPORTED_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".aac", ".webm", ".mp4")
SILENCE_DBFS = -90.0


class AudioError(Exception):
    """An audio file cannot be read; the message is one line naming the file and the reason."""


class AudioUnavailable(Exception):
    """No way to record or play here (no PortAudio, no device); the message says what to install."""


def _install_hint() -> str:
    if sys.platform == "darwin":
        return "brew install portaudio"
    if sys.platform.startswith("win"):
        return "reinstall the sounddevice package"
    return "apt install libportaudio2 (or your OS's PortAudio package)"


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # the Python package is installed but the PortAudio library is not
        raise AudioUnavailable(
            f"no audio device access: PortAudio is missing ({_install_hint()}); importing a file still works"
        ) from exc
    except ImportError as exc:
        raise AudioUnavailable(
            "no audio device access: pip install sounddevice; importing a file still works"
        ) from exc
    return sounddevice


# -- reading files -------------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty")


# sample rates real recordings use lie between telephone (8 kHz; 4 kHz leaves room) and studio (384 kHz); a
# header claiming 1 Hz would make a 1-second file last a day and every buffer sized from it absurd
MIN_RATE, MAX_RATE = 4_000, 384_000
MAX_SECONDS = 4 * 3600  # no spoken answer is longer; a longer file is a mistake, not an answer


def _check_rate(path: Path, rate: float) -> None:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(
            f"{path}: the file claims a sample rate of {rate:g} Hz; audio is recorded at "
            f"{MIN_RATE // 1000}–{MAX_RATE // 1000} kHz, so the file is damaged or not audio"
        )


def _check_length(path: Path, seconds: float) -> float:
    if seconds > MAX_SECONDS:
        raise AudioError(
            f"{path}: {seconds / 3600:.1f} hours of audio; an answer may last at most {MAX_SECONDS // 3600} hours"
        )
    return seconds


def _to_mono(block: np.ndarray) -> np.ndarray:
    return block.mean(axis=1) if block.ndim == 2 else block


class _Resampler:
    """Streaming sample-rate conversion through FFmpeg's swresample (PyAV); identity at 16 kHz."""

    def __init__(self, rate: int):
        self.rate = rate
        self._r: Any = None
        if rate != SAMPLE_RATE:
            import av

            self._av = av
            self._r = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    def __call__(self, mono: np.ndarray | None) -> np.ndarray:
        """Convert one block; `None` flushes what the resampler still holds."""
        if self._r is None:
            return np.zeros(0, np.float32) if mono is None else mono.astype(np.float32, copy=False)
        frame = None
        if mono is not None:
            frame = self._av.AudioFrame.from_ndarray(
                np.ascontiguousarray(mono, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
            )
            frame.sample_rate = self.rate
        out = [f.to_ndarray().reshape(-1) for f in self._r.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def _soundfile_blocks(path: Path, block_frames: int) -> Iterator[np.ndarray]:
    import soundfile as sf

    with sf.SoundFile(str(path)) as f:
        _check_rate(path, f.samplerate)
        resample = _Resampler(f.samplerate)
        for block in f.blocks(blocksize=block_frames, dtype="float32", always_2d=True):
            out = resample(_to_mono(block))
            if out.size:
                yield out
        tail = resample(None)
        if tail.size:
            yield tail


def _pyav_blocks(path: Path) -> Iterator[np.ndarray]:
    import av

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({_short(exc)})") from exc
    with container:
        if not container.streams.audio:
            raise AudioError(f"{path}: contains no audio stream")
        _check_rate(path, container.streams.audio[0].rate or SAMPLE_RATE)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(audio=0):
                frame.pts = None
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1).astype(np.float32)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1).astype(np.float32)
        except av.FFmpegError as exc:
            raise AudioError(f"{path}: the audio is corrupt ({_short(exc)})") from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\] ", "", text)  # PyAV's errno is noise to the user
    return text[:160]


def iter_audio(path: str | os.PathLike[str], block_s: float = 10.0) -> Iterator[np.ndarray]:
    """Yield the file as consecutive 16 kHz mono float32 blocks (sizes vary)."""
    p = Path(path)
    _check_file(p)
    import soundfile as sf

    produced = False
    try:
        for block in _soundfile_blocks(p, int(block_s * 48_000)):
            produced = True
            yield block
        if produced:
            return
    except AudioError:
        raise
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        if produced:  # failed half-way through a file libsndfile understood: it is damaged
            raise AudioError(f"{p}: the audio is corrupt after {_short(exc)}") from exc
    # libsndfile does not know the format (m4a, aac, opus...) or found no frames: ask FFmpeg
    yield from _pyav_blocks(p)


def load_audio(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole file as one 16 kHz mono float32 array."""
    blocks = list(iter_audio(path))
    return np.concatenate(blocks) if blocks else np.zeros(0, np.float32)


def audio_duration(path: str | os.PathLike[str]) -> float:
    """Length in seconds, from the header when it can be trusted, otherwise by decoding."""
    p = Path(path)
    _check_file(p)
    import soundfile as sf

    try:
        info = sf.info(str(p))
        if info.frames > 0 and info.samplerate > 0:
            _check_rate(p, info.samplerate)
            return _check_length(p, info.frames / info.samplerate)
    except AudioError:
        raise
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        pass
    try:
        import av

        with av.open(str(p), metadata_errors="ignore") as c:
            if c.duration:
                if c.streams.audio:
                    _check_rate(p, c.streams.audio[0].rate or SAMPLE_RATE)
                return _check_length(p, c.duration / 1_000_000)
    except AudioError:
        raise
    except (ImportError, OSError, Exception):  # PyAV raises its own error family; fall through to decoding
        pass
    return _check_length(p, sum(b.size for b in iter_audio(p)) / SAMPLE_RATE)


def rms_dbfs(block: np.ndarray) -> float:
    if block.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    return max(SILENCE_DBFS, 20 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


# -- writing WAV incrementally -------------------------------------------------------------------------


class IncrementalWav:
    """16-bit PCM mono WAV whose header is correct after every `write`, so the file survives a crash."""

    def __init__(self, path: str | os.PathLike[str], rate: int = SAMPLE_RATE):
        self.path = Path(path)
        self.rate = rate
        self.frames = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._f.write(self._header(0))
        self._f.flush()

    def _header(self, data_bytes: int) -> bytes:
        return (
            b"RIFF"
            + struct.pack("<I", 36 + data_bytes)
            + b"WAVE"
            + b"fmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, self.rate, self.rate * 2, 2, 16)
            + b"data"
            + struct.pack("<I", data_bytes)
        )

    def write(self, samples: np.ndarray) -> None:
        pcm = (np.clip(samples.reshape(-1), -1.0, 1.0) * 32767).astype("<i2").tobytes()
        self._f.write(pcm)
        self.frames += len(pcm) // 2
        end = self._f.tell()
        data_bytes = self.frames * 2
        self._f.seek(4)
        self._f.write(struct.pack("<I", 36 + data_bytes))
        self._f.seek(40)
        self._f.write(struct.pack("<I", data_bytes))
        self._f.seek(end)
        self._f.flush()

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    def close(self) -> None:
        if not self._f.closed:
            self._f.flush()
            os.fsync(self._f.fileno())
            self._f.close()


# -- recording ---------------------------------------------------------------------------------------


class InputStream(Protocol):
    """What the recorder needs from `sounddevice.InputStream`."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


# (samplerate, channels, blocksize, callback(indata, frames, time, status)) -> stream
StreamFactory = Callable[[int, int, int, Callable[..., None]], InputStream]


def sounddevice_stream(
    samplerate: int, channels: int, blocksize: int, callback: Callable[..., None]
) -> InputStream:
    sd = _sounddevice()
    try:
        sd.query_devices(kind="input")
        return sd.InputStream(
            samplerate=samplerate, channels=channels, dtype="float32", blocksize=blocksize, callback=callback
        )
    except (sd.PortAudioError, ValueError) as exc:
        raise AudioUnavailable(f"no microphone found ({_short(exc)}); importing a file still works") from exc


class FileInputStream:
    """An input stream that plays a file into the callback in real-time-sized blocks (tests, demos).

    `speed` > 1 delivers faster than real time; `speed=0` delivers as fast as possible.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        samplerate: int,
        channels: int,
        blocksize: int,
        callback: Callable[..., None],
        speed: float = 0.0,
    ):
        self._audio = load_audio(path)
        self._cb, self._block, self._speed = callback, blocksize or 1600, speed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.finished = threading.Event()

    def _run(self) -> None:
        for i in range(0, self._audio.size, self._block):
            if self._stop.is_set():
                break
            chunk = self._audio[i : i + self._block].reshape(-1, 1)
            self._cb(chunk, len(chunk), None, None)
            if self._speed:
                time.sleep(len(chunk) / SAMPLE_RATE / self._speed)
        self.finished.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def close(self) -> None:
        self.stop()


def file_stream_factory(path: str | os.PathLike[str], speed: float = 0.0) -> StreamFactory:
    def factory(samplerate: int, channels: int, blocksize: int, callback: Callable[..., None]) -> InputStream:
        return FileInputStream(path, samplerate, channels, blocksize, callback, speed)

    return factory


class Recorder:
    """Records 16 kHz mono to a WAV file on disk while it records.

    The audio callback only queues blocks; a writer thread appends them to the file and reports the
    level (RMS dBFS) and the elapsed seconds through the callbacks, off the audio thread.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        stream_factory: StreamFactory | None = None,
        on_level: Callable[[float], None] | None = None,
        on_elapsed: Callable[[float], None] | None = None,
        block_s: float = 0.1,
    ):
        self.path = Path(path)
        self._factory = stream_factory or sounddevice_stream
        self._on_level, self._on_elapsed = on_level, on_elapsed
        self._blocksize = int(SAMPLE_RATE * block_s)
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._stream: InputStream | None = None
        self._wav: IncrementalWav | None = None
        self._writer: threading.Thread | None = None
        self.level_dbfs = SILENCE_DBFS
        self.overflows = 0
        self.error: BaseException | None = None

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def elapsed_s(self) -> float:
        return self._wav.seconds if self._wav else 0.0

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        if status:
            self.overflows += 1
        self._queue.put(np.array(indata[:, 0] if indata.ndim == 2 else indata, dtype=np.float32, copy=True))

    def _write_loop(self) -> None:
        assert self._wav is not None
        while True:
            block = self._queue.get()
            if block is None:
                return
            try:
                self._wav.write(block)
            except OSError as exc:  # disk full: keep what is written, tell the caller
                self.error = exc
                continue
            self.level_dbfs = rms_dbfs(block)
            if self._on_level:
                self._on_level(self.level_dbfs)
            if self._on_elapsed:
                self._on_elapsed(self._wav.seconds)

    def start(self) -> None:
        if self._stream is not None:
            return
        stream = self._factory(SAMPLE_RATE, 1, self._blocksize, self._callback)  # AudioUnavailable escapes
        self._wav = IncrementalWav(self.path)
        self._writer = threading.Thread(target=self._write_loop, name="prepdeck-recorder", daemon=True)
        self._writer.start()
        self._stream = stream
        try:
            stream.start()
        except Exception as exc:
            self._finish()
            raise AudioUnavailable(
                f"cannot start recording ({_short(exc)}); importing a file still works"
            ) from exc

    def stop(self) -> Path:
        """Stop recording, write out everything queued, and return the file."""
        self._finish()
        if self.error:
            raise AudioError(f"{self.path}: recording stopped early: {_short(self.error)}")
        return self.path

    def _finish(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        if self._wav is not None:
            self._wav.close()


# -- playback ----------------------------------------------------------------------------------------


def output_available() -> bool:
    try:
        sd = _sounddevice()
        sd.query_devices(kind="output")
        return True
    except Exception:  # no PortAudio, no device, or a broken host API: all mean "cannot play"
        return False


class Player:
    """Plays a file on the default output; `stop()` ends it early."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._sd: Any = None

    def play(self) -> None:
        sd = _sounddevice()
        audio = load_audio(self.path)
        try:
            sd.play(audio, SAMPLE_RATE)
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioUnavailable(f"no audio output ({_short(exc)})") from exc
        self._sd = sd

    def stop(self) -> None:
        if self._sd is not None:
            self._sd.stop()
            self._sd = None
