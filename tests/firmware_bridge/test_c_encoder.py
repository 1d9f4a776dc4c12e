"""The firmware's plain-C frame encoder (firmware_bridge/firmware/lib/gcframe) against the Python codec.

The C file is compiled with the system compiler into a shared library and called through ctypes;
its frames must equal the Python encoder's byte for byte and decode with ``BinaryDecoder``, and
its command reader must read the host's commands. The documented test vectors bind both sides.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.protocol import binary as b

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"
SRC = ROOT / "firmware_bridge" / "firmware" / "lib" / "gcframe" / "gcframe.c"
CAP = 4096
u8p = ctypes.POINTER(ctypes.c_uint8)


class Identify(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("firmware", ctypes.c_char_p), ("rate_hz", ctypes.c_float),
                ("units", ctypes.c_char_p), ("calibration_json", ctypes.c_char_p), ("has_imu", ctypes.c_int)]


class Command(ctypes.Structure):
    _fields_ = [("command", ctypes.c_uint8), ("arg", ctypes.c_float)]


class Reader(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_uint8 * 32), ("len", ctypes.c_size_t), ("overflow", ctypes.c_int)]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    cc = shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler on this machine")
    so = tmp_path_factory.mktemp("gcframe") / "libgcframe.so"
    subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-shared", "-fPIC",
                    "-o", str(so), str(SRC)], check=True, capture_output=True)
    lib = ctypes.CDLL(str(so))
    size = ctypes.c_size_t
    lib.gc_crc16.restype = ctypes.c_uint16
    lib.gc_crc16.argtypes = [ctypes.c_char_p, size]
    lib.gc_frame.restype = size
    lib.gc_frame.argtypes = [ctypes.c_char_p, size, u8p, size]
    lib.gc_encode_samples.restype = size
    lib.gc_encode_samples.argtypes = [ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint16, ctypes.POINTER(ctypes.c_float),
                                      ctypes.c_uint8, ctypes.POINTER(ctypes.c_float), ctypes.c_int, u8p, size]
    lib.gc_encode_identify.restype = size
    lib.gc_encode_identify.argtypes = [ctypes.POINTER(Identify), u8p, size]
    lib.gc_encode_command.restype = size
    lib.gc_encode_command.argtypes = [ctypes.c_uint8, ctypes.c_float, u8p, size]
    lib.gc_encode_ack.restype = size
    lib.gc_encode_ack.argtypes = [ctypes.c_uint8, ctypes.c_uint8, u8p, size]
    lib.gc_encode_error.restype = size
    lib.gc_encode_error.argtypes = [ctypes.c_uint8, ctypes.c_char_p, u8p, size]
    lib.gc_cmd_reader_init.argtypes = [ctypes.POINTER(Reader)]
    lib.gc_cmd_reader_feed.restype = ctypes.c_int
    lib.gc_cmd_reader_feed.argtypes = [ctypes.POINTER(Reader), ctypes.c_uint8, ctypes.POINTER(Command)]
    return lib


def call(fn, *args) -> bytes:
    out = (ctypes.c_uint8 * CAP)()
    n = fn(*args, out, CAP)
    return bytes(out[:n])


def c_samples(lib, seq, t_us, dt_us, force, imu=None, raw=False) -> bytes:
    f = np.ascontiguousarray(force, np.float32)
    i = None if imu is None else np.ascontiguousarray(imu, np.float32).ravel()
    fp = ctypes.POINTER(ctypes.c_float)
    return call(lib.gc_encode_samples, seq, t_us, dt_us, f.ctypes.data_as(fp), len(f),
                None if i is None else i.ctypes.data_as(fp), int(raw))


def c_vectors(lib) -> dict[str, bytes]:
    """The documented messages, encoded by the C side."""
    ident = Identify(b"gc-ref", b"1.0.0", 1000.0, b"N", None, 0)
    return {
        "samples": c_samples(lib, 7, 123456, 1000, [1.5, 2.5, 3.5]),
        "samples_imu": c_samples(lib, 4294967295, 4294967000, 500, [-1.0], [[0.0, 0.0, 9.8, 0.1, -0.1, 0.0]]),
        "samples_raw": c_samples(lib, 0, 0, 12500, [8388607.0, -8388608.0], raw=True),
        "identify": call(lib.gc_encode_identify, ctypes.byref(ident)),
        "start": call(lib.gc_encode_command, 2, 0.0),
        "set_rate": call(lib.gc_encode_command, 5, 2000.0),
        "ack_tare": call(lib.gc_encode_ack, 4, 0),
        "error": call(lib.gc_encode_error, 1, b"no ADC"),
    }


def test_c_frames_are_the_documented_vectors(lib):
    docs = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| `([0-9a-f]+)` \|$", DOC.read_text(encoding="utf-8"), re.M))
    got = c_vectors(lib)
    assert set(got) == set(docs)
    for name, frame in got.items():
        assert frame.hex() == docs[name], name
    assert lib.gc_crc16(b"123456789", 9) == 0x29B1


def test_python_decoder_reads_what_c_writes_with_calibration_and_imu(lib):
    ident = Identify(b"gc-ref \"v2\"", b"2.1.0-rc1", 80.0, b"counts", b'{"offset":-8123.0,"n_per_count":0.00031}', 1)
    stream = call(lib.gc_encode_identify, ctypes.byref(ident))
    force = np.linspace(-5, 500, 40)
    imu = np.random.default_rng(1).normal(0, 3, (40, 6))
    for k in range(0, 40, 8):
        stream += c_samples(lib, 1000 + k, 50_000 + 12_500 * k, 12_500, force[k:k + 8], imu[k:k + 8], raw=True)
    d = b.BinaryDecoder()
    msgs = d.feed(stream)
    assert msgs[0] == b.Identify('gc-ref "v2"', "2.1.0-rc1", 80.0, "counts", {"offset": -8123.0, "n_per_count": 0.00031}, True)
    blocks = msgs[1:]
    assert [m.seq for m in blocks] == [1000, 1008, 1016, 1024, 1032] and d.seq_gaps == 0 and d.crc_errors == 0
    assert np.concatenate([m.force for m in blocks]).tolist() == force.astype(np.float32).astype(float).tolist()
    assert np.allclose(np.concatenate([m.imu for m in blocks]), imu.astype(np.float32))
    assert all(m.raw_counts and m.dt_us == 12_500 for m in blocks)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1024))
def test_c_and_python_frame_any_payload_identically(lib, payload):
    assert call(lib.gc_frame, payload, len(payload)) == b.encode_frame(payload)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1), st.integers(0, 65535),
       st.lists(st.floats(width=32, allow_nan=False), min_size=1, max_size=255), st.booleans())
def test_c_and_python_sample_blocks_are_identical(lib, seq, t_us, dt_us, force, with_imu):
    imu = np.tile(np.arange(6.0), (len(force), 1)) if with_imu else None
    if len(force) > (36 if with_imu else 252):                 # over the 1024-byte payload: both refuse
        assert c_samples(lib, seq, t_us, dt_us, force, imu) == b""
        with pytest.raises(ValueError, match="at most 1024"):
            b.encode_samples(seq, t_us, dt_us, force, imu)
        return
    assert c_samples(lib, seq, t_us, dt_us, force, imu) == b.encode_samples(seq, t_us, dt_us, force, imu)


def test_the_largest_sample_blocks_fit_a_payload_and_one_more_sample_does_not(lib):
    for n, imu in ((252, None), (36, np.ones((36, 6)))):
        assert c_samples(lib, 1, 2, 3, np.arange(n), imu) == b.encode_samples(1, 2, 3, np.arange(n), imu)
        big = None if imu is None else np.ones((n + 1, 6))
        assert c_samples(lib, 1, 2, 3, np.arange(n + 1), big) == b""
        with pytest.raises(ValueError, match="at most 1024"):
            b.encode_samples(1, 2, 3, np.arange(n + 1), big)


def test_c_command_reader_reads_host_commands_through_garbage(lib):
    r = Reader()
    lib.gc_cmd_reader_init(ctypes.byref(r))
    bad = bytearray(b.encode_command("tare"))
    bad[3] ^= 0x01
    stream = (b"\x17 boot noise" + b.encode_command("identify") + bytes(bad) + b"\xff" * 50 + b.encode_command("start")
              + b.encode_samples(1, 2, 3, [4.0]) + b.encode_command("set_rate", 500.0))
    got = []
    cmd = Command()
    for byte in stream:
        if lib.gc_cmd_reader_feed(ctypes.byref(r), byte, ctypes.byref(cmd)):
            got.append((cmd.command, cmd.arg))
    assert got == [(1, 0.0), (2, 0.0), (5, 500.0)]
