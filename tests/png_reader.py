"""A small PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium's screenshots are), numpy-based.

Tests use it to look at the pixels of a headless-Chromium screenshot without an imaging library.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def read_png(path: Path) -> np.ndarray:
    """The image as an (height, width, channels) uint8 array."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    pos, idat = 8, []
    width = height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                raise ValueError(
                    f"unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})"
                )
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 0:
            cur = line
        elif kind == 1:  # Sub: running sum along the row, per channel
            cur = np.cumsum(line.reshape(width, channels), axis=0).reshape(stride) % 256
        elif kind == 2:  # Up
            cur = (line + prev) % 256
        elif kind == 3:  # Average: sequential along the row
            cur = _average(line, prev, channels)
        elif kind == 4:  # Paeth: sequential along the row
            cur = _paeth(line, prev, channels)
        else:
            raise ValueError(f"bad PNG filter type {kind} in row {y}")
        out[y] = cur
        prev = cur.astype(np.int32)
    return out.reshape(height, width, channels)


def _average(line: np.ndarray, prev: np.ndarray, channels: int) -> np.ndarray:
    cur = line.tolist()
    up = prev.tolist()
    for i in range(len(cur)):
        left = cur[i - channels] if i >= channels else 0
        cur[i] = (cur[i] + ((left + up[i]) >> 1)) & 0xFF
    return np.array(cur, dtype=np.int32)


def _paeth(line: np.ndarray, prev: np.ndarray, channels: int) -> np.ndarray:
    cur = line.tolist()
    up = prev.tolist()
    for i in range(len(cur)):
        if i >= channels:
            a, c = cur[i - channels], up[i - channels]
        else:
            a = c = 0
        b = up[i]
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        cur[i] = (cur[i] + pred) & 0xFF
    return np.array(cur, dtype=np.int32)
