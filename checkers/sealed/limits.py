"""What seals a child process that runs user or deck code: resource limits, Landlock, prctl flags.

Everything here works without root (measured on Linux 6.18, Landlock ABI 7, as root and as nobody):
- `setrlimit`: address space, CPU seconds, open files, file size (a child that writes files hits EFBIG),
  processes (RLIMIT_NPROC counts every thread of the user and is not enforced for root, so it is set to
  what the user runs now plus a margin; the tree kill is what really bounds a fork bomb);
- `PR_SET_CHILD_SUBREAPER` for the supervisor: an orphan (`fork` + `setsid`) is re-parented to it, not to
  init, so it can be found and killed;
- `PR_SET_PDEATHSIG`: the child dies with the supervisor;
- Landlock (Linux 5.13+; its ABI grows with the kernel): the child reads only Python's own files and the
  installed packages (not the decks, not `$HOME`), writes and executes nothing, connects only to the one
  TCP port it is given (ABI 4+), and signals no process outside its own tree (ABI 6+: `kill(getppid())`
  is refused). Where Landlock is missing the other layers still hold; `landlock_abi()` says which.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # the same on x86_64 and arm64
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_FS_EXECUTE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 2, 1 << 3
_FS_BITS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.prctl.restype = ctypes.c_int


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetPort(ctypes.Structure):
    _fields_ = [("allowed", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def prctl(option: int, value: int) -> bool:
    return _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0


def become_subreaper() -> bool:
    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL when the parent goes; already gone (a race with fork): exit now."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(9)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when it has none (or it is disabled)."""
    if not sys.platform.startswith("linux"):
        return 0
    version = _libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(version), 0)


def readable_roots(exclude: list[Path]) -> list[Path]:
    """What the sealed child may read: Python's own prefixes and every import path, except the `exclude`
    folders (prepdeck's built-in decks and tests, which hold solutions and hidden cases)."""
    roots: set[Path] = set()
    for entry in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *sys.path}:
        if entry and os.path.isdir(entry):
            roots.add(Path(entry).resolve())
    for extra in ("/usr/share/zoneinfo", "/etc/localtime", "/etc/hosts", "/dev/null", "/dev/urandom"):
        if os.path.exists(extra):
            roots.add(Path(extra))
    for excluded in (e.resolve() for e in exclude):
        out: set[Path] = set()
        for root in roots:
            if root == excluded or root.is_relative_to(excluded):
                continue
            if excluded.is_relative_to(root):
                out.update(_around(root, excluded))  # everything under root but the excluded subtree
            else:
                out.add(root)
        roots = out
    return sorted(roots)


def _around(root: Path, exclude: Path) -> list[Path]:
    """The entries of `root` that do not contain `exclude`, recursing into the one that does."""
    out: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if entry == exclude:
                continue
            if exclude.is_relative_to(entry) and entry.is_dir():
                out.extend(_around(entry, exclude))
            else:
                out.append(entry)
    return out


class Landlock:
    """A ruleset built once in the supervisor; each forked child calls `restrict()` to enter it."""

    def __init__(self, read: list[Path], connect_port: int | None = None, *, enabled: bool = True) -> None:
        self.abi = landlock_abi() if enabled else 0
        self.fd = -1
        if self.abi < 1:
            return
        fs = _FS_BITS_BY_ABI.get(self.abi, _FS_BITS_BY_ABI[5] if self.abi >= 5 else _FS_BITS_BY_ABI[3])
        attr = _RulesetAttr(fs=fs, net=0, scoped=0)
        size = 8
        if self.abi >= 4:
            attr.net = _NET_BIND_TCP | _NET_CONNECT_TCP
            size = 16
        if self.abi >= 6:
            attr.scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL
            size = 24
        fd = _libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
        if fd < 0:
            self.abi = 0
            return
        self.fd = int(fd)
        os.set_inheritable(self.fd, True)
        for path in read:
            self._allow_path(path)
        if self.abi >= 4 and connect_port:
            rule = _NetPort(allowed=_NET_CONNECT_TCP, port=connect_port)
            _libc.syscall(_SYS_ADD_RULE, self.fd, _RULE_NET_PORT, ctypes.byref(rule), 0)

    def _allow_path(self, path: Path) -> None:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return
        try:
            allowed = _FS_READ_FILE if not path.is_dir() else _FS_READ_FILE | _FS_READ_DIR
            rule = _PathBeneath(allowed=allowed, parent_fd=fd)
            _libc.syscall(_SYS_ADD_RULE, self.fd, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
        finally:
            os.close(fd)

    def restrict(self) -> bool:
        """Enter the ruleset (this process and all it forks from now on); False when there is none."""
        if self.fd < 0:
            return False
        if not prctl(PR_SET_NO_NEW_PRIVS, 1):
            return False
        return _libc.syscall(_SYS_RESTRICT_SELF, self.fd, 0) == 0


# the rights that change the file system (ABI 1: write, remove, make; 2: refer; 3: truncate); reads, exec and
# device ioctls are not handled, so they stay allowed everywhere
_FS_WRITE_BITS = (1 << 15) - 1 & ~(_FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR)
_FS_FILE_WRITE_BITS = 1 << 1 | 1 << 14  # write, truncate: the only ones that apply to a file


_FS_READ_BITS = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR


def confine_writes(write: list[Path], read: list[Path] | None = None) -> bool:
    """Enter a ruleset (this process and what it execs) that writes only beneath `write` and to /dev/null.
    With `read`, it also reads and executes only beneath `read` and `write`; without, as before. False when
    Landlock is missing (nothing is confined then)."""
    abi = landlock_abi()
    if abi < 1:
        return False
    handled = (_FS_WRITE_BITS | (_FS_READ_BITS if read is not None else 0)) & _FS_BITS_BY_ABI[min(abi, 3)]
    attr = _RulesetAttr(fs=handled, net=0, scoped=0)
    fd = _libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(8), ctypes.c_uint32(0))
    if fd < 0:
        return False
    file_bits = _FS_FILE_WRITE_BITS | _FS_READ_FILE | _FS_EXECUTE
    rules = [(path, handled) for path in [*write, Path("/dev/null")]]
    rules += [(path, handled & _FS_READ_BITS) for path in read or ()]
    try:
        for path, bits in rules:
            allowed = bits if path.is_dir() else bits & file_bits
            try:
                path_fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rule = _PathBeneath(allowed=allowed, parent_fd=path_fd)
                _libc.syscall(_SYS_ADD_RULE, fd, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            finally:
                os.close(path_fd)
        if not prctl(PR_SET_NO_NEW_PRIVS, 1):
            return False
        return _libc.syscall(_SYS_RESTRICT_SELF, fd, 0) == 0
    finally:
        os.close(fd)


def _user_tasks() -> int:
    """Threads the user runs now (RLIMIT_NPROC counts them all, not only this tree's)."""
    uid, count = os.getuid(), 0
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if name.isdigit():
                with contextlib.suppress(OSError):
                    st = os.stat(f"/proc/{name}")
                    if st.st_uid == uid:
                        count += max(st.st_nlink - 2, 1)  # /proc/PID/task has a link per thread
    return count


def set_limits(*, memory_mb: int, cpu_s: float, max_files: int, file_bytes: int, extra_tasks: int) -> None:
    """Resource limits for this process and what it starts (set in the child, before the code runs)."""

    def cap(kind: int, soft: int, hard: int | None = None) -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (soft, soft if hard is None else hard))

    cap(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    cpu = max(1, int(cpu_s + 0.999))
    cap(resource.RLIMIT_CPU, cpu, cpu + 1)
    highest_fd = max((int(n) for n in os.listdir("/proc/self/fd") if n.isdigit()), default=2)
    cap(resource.RLIMIT_NOFILE, max(max_files, highest_fd + 16))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    cap(resource.RLIMIT_FSIZE, file_bytes)
    cap(resource.RLIMIT_CORE, 0)
    if os.getuid() != 0:  # not enforced for root
        cap(resource.RLIMIT_NPROC, _user_tasks() + extra_tasks)


def virtual_memory_mb() -> int:
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    return 0
