"""OS-level limits for the SPARQL worker processes: no network sockets (seccomp-BPF) and a cap
on address space (RLIMIT_AS).

The query text is checked on a real parse before it runs (kg.store.sparql_guard), but a parser
disagreement must never become an outbound request: after ``block_network()`` the kernel itself
answers EPERM to ``socket(AF_INET | AF_INET6 | AF_PACKET, …)`` in this process and every thread
it starts later. AF_UNIX stays open (the worker talks to the server over a socketpair, made
before the filter is installed). Pure ctypes, Linux x86_64 and aarch64.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import resource
import socket
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
# arch value in seccomp_data -> (socket, io_uring_setup) syscall numbers. io_uring can open
# sockets without the socket() syscall, so it is refused too.
_ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_X32_BIT = 0x40000000  # x86_64's x32 ABI: same arch value, syscall numbers with this bit set
_BLOCKED_FAMILIES = (socket.AF_INET, socket.AF_INET6, getattr(socket, "AF_PACKET", 17))

# BPF opcodes (linux/bpf_common.h)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


class SandboxError(RuntimeError):
    pass


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _program(arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    n = len(_BLOCKED_FAMILIES)
    # seccomp_data: nr at 0, arch at 4, args[0] at 16 (low 32 bits on little-endian).
    code = [
        _insn(_LD_W_ABS, 0, 0, 4),
        _insn(_JEQ_K, 1, 0, arch),  # another ABI (e.g. i386 int 0x80 socketcall): refuse everything
        _insn(_RET_K, 0, 0, deny),
        _insn(_LD_W_ABS, 0, 0, 0),
        _insn(_JGE_K, 0, 1, _X32_BIT),
        _insn(_RET_K, 0, 0, deny),
        _insn(_JEQ_K, 0, 1, io_uring_nr),
        _insn(_RET_K, 0, 0, deny),
        _insn(_JEQ_K, 1, 0, socket_nr),
        _insn(_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        _insn(_LD_W_ABS, 0, 0, 16),
    ]
    for index, family in enumerate(_BLOCKED_FAMILIES):
        code.append(_insn(_JEQ_K, n - index, 0, family))  # jump to the deny after the allow
    code += [_insn(_RET_K, 0, 0, SECCOMP_RET_ALLOW), _insn(_RET_K, 0, 0, deny)]
    return b"".join(code)


def block_network() -> None:
    """Install the filter in this process (irreversible). Raises SandboxError when the kernel or
    platform refuses; call it before starting threads so every thread inherits it."""
    if sys.platform != "linux" or platform.machine() not in _ARCHES:
        raise SandboxError(f"seccomp filter not available on {sys.platform}/{platform.machine()}")
    program = _program(*_ARCHES[platform.machine()])
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(count, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {ctypes.get_errno()}")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_SECCOMP) failed: errno {ctypes.get_errno()}")
    try:  # prove it: the point of the filter is that this fails
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return
    raise SandboxError("seccomp filter installed but socket(AF_INET) still succeeds")


def address_space_mb() -> int:
    """This process's mapped address space (VmSize), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    return 0


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation past it fails (MemoryError in Python,
    an abort in pyoxigraph), which the pool turns into a clean 503 and a fresh worker."""
    if megabytes > 0:
        # glibc gives each thread its own 64 MB malloc arena of address space; the store's threads
        # would spend the limit on empty arenas and abort at start-up. Two arenas bound that.
        _limit_malloc_arenas(2)
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_M_ARENA_MAX = -8  # mallopt parameter, glibc's malloc.h


def _limit_malloc_arenas(count: int) -> None:
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, count)
    except (OSError, AttributeError):  # not glibc: nothing to bound
        pass
