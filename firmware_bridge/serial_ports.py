"""Serial ports themselves: opening one for this program alone (:func:`open_serial`, refused
with :class:`PortBusy` when another program holds it), one line on why opening failed (a
permission refused names the port's group), telling a path that cannot be a serial port
(:func:`not_a_port`), and :func:`probe`, what answers on a port.
"""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
import time

import serial

from analysis.errors import DeviceError
from firmware_bridge.emulator import left_behind
from firmware_bridge.protocol import binary
from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.serial_stream import CALIBRATE_HINT


def open_serial(path: str, baud: int) -> serial.Serial:
    """Open ``path`` for this program alone: pyserial's ``exclusive`` takes an advisory lock
    (POSIX ``flock``; Windows opens a port for one program anyway), so a port another gradecoach
    reads is refused (:class:`PortBusy`) instead of shared, its bytes split between the two and
    one's ``stop`` halting the device for the other."""
    try:
        return serial.Serial(path, baud, timeout=0.05, exclusive=True)
    except serial.SerialException as e:
        if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES) and "lock" in str(e):
            raise PortBusy(path) from None
        raise


def why_not_opened(path: str, e: BaseException) -> str:
    """One line on why opening ``path`` failed with ``e``: for a permission refused, what to do
    about it (the port's group, from its mode and owner); else pyserial's first line, with its
    errno said once rather than twice."""
    if getattr(e, "errno", None) == errno.EACCES and "lock" not in str(e):
        return no_permission(path)
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return f"cannot open ({text})"


def no_permission(path: str) -> str:
    """'no permission to open the port …' with the way to be given it: joining the port's group
    (dialout on Debian/Ubuntu) when the group may read and write it, else asking its owner."""
    try:
        st = os.stat(path)
    except OSError:
        return "no permission to open the port"
    try:
        group = grp.getgrgid(st.st_gid).gr_name
        members = grp.getgrgid(st.st_gid).gr_mem
    except KeyError:
        group, members = str(st.st_gid), []
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        me = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        me = str(os.getuid())
    mode = stat.filemode(st.st_mode)[1:]
    if st.st_mode & 0o060 == 0o060 and st.st_uid != os.getuid():
        if st.st_gid in os.getgroups() or st.st_gid == os.getgid():
            return f"no permission to open the port (its group is {group}, mode {mode})"
        if me in members:
            return (f"no permission to open the port (its group is {group}): you were added to {group} after "
                    f"this login began; log in again")
        return (f"no permission to open the port (its group is {group}): add yourself with "
                f"`sudo usermod -aG {group} $USER`, then log in again")
    return (f"no permission to open the port (it is {owner}'s, group {group}, mode {mode}): "
            f"ask its owner or root to let you read and write it")


class PortBusy(serial.SerialException):
    """The port is held by another program that locked it (another gradecoach recording,
    trainer or probe)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is in use by another program (another gradecoach recording, trainer or probe?)")


class PortBusyError(DeviceError):
    """Opening a port another program holds (:class:`PortBusy`): one line for ``record``; the
    trainer waits for it to be free."""


def not_a_port(path: str) -> str | None:
    """Why ``path`` cannot be a serial port, or None (a serial port, a path that is not there, or
    a name such as COM3). A port is a terminal device: a folder, a regular file, a named pipe, a
    socket, a disk or a device of another kind (/dev/null) is none ("a file, not a serial port").
    Nothing is opened but a device Linux does not name in /sys (a pseudo-terminal) or any device
    elsewhere, and that without blocking; a named pipe is never opened (that waits for a writer)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        return "a folder, not a serial port"
    if stat.S_ISREG(mode):
        return "a file, not a serial port"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a serial port"
    if stat.S_ISSOCK(mode):
        return "a socket, not a serial port"
    if stat.S_ISBLK(mode):
        return "a disk (block device), not a serial port"
    if stat.S_ISCHR(mode) and not _terminal(path, st.st_rdev):
        return "a device that is not a serial port"
    return None


def _terminal(path: str, rdev: int) -> bool:
    """Whether the character device ``path`` is a terminal (a serial port, a pseudo-terminal);
    True when it cannot be told (no permission to open it: opening the port says why)."""
    if not hasattr(os, "O_NOCTTY"):
        return True
    kind = f"/sys/dev/char/{os.major(rdev)}:{os.minor(rdev)}/subsystem"
    if os.path.exists(kind):                       # (Linux names each device's kind: no open)
        return os.path.basename(os.path.realpath(kind)) == "tty"
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return True
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)



def probe(path: str, baud: int = 115200, timeout_s: float = 1.0) -> str:
    """What answers on a port: the reference firmware (asked to identify), a line-protocol
    sketch, something else, or nothing. One line; never raises for a device problem."""
    if (pid := left_behind(path)) is not None:
        return (f"not probed: a link left by an emulator that is no longer running (pid {pid}); the terminal "
                f"it leads to may be another program's")
    try:
        port = open_serial(path, baud)
    except PortBusy:
        return "busy: another program holds the port (a recording?); not probed, so it is not disturbed"
    except (serial.SerialException, OSError) as e:
        return why_not_opened(path, e)
    dec, lines, got, n_lines = binary.BinaryDecoder(), LineDecoder(), b"", 0
    deadline = time.monotonic() + timeout_s
    try:
        port.write(binary.encode_command("identify"))
        while time.monotonic() < deadline:
            data = port.read(port.in_waiting or 1)
            got += data
            for m in dec.feed(data):
                if isinstance(m, binary.Identify):
                    return f"gradecoach binary protocol: {m.name} firmware {m.firmware}, {m.rate_hz:g} Hz, {m.units}" + \
                           (", IMU" if m.has_imu else "")
            n_lines += len(lines.feed(data))     # a sketch's lines may come one read at a time
            if n_lines >= 3:
                return "line protocol (t_ms,force or force lines)"
            if lines.raw_lines >= 3:
                return f"line protocol, but raw ADC readings ({lines.first_raw[1]!r}), not forces: {CALIBRATE_HINT}"
    except (serial.SerialException, OSError) as e:
        return f"went away while probing ({str(e).splitlines()[0]})"
    finally:
        try:
            port.write(binary.encode_command("stop"))
            port.close()
        except (serial.SerialException, OSError):
            pass
    return "sends data, protocol not recognised" if got else "silent"