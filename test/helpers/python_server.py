"""A python3 fork server for the tests (test/helpers/python.ts, started by test/setup/python-server.ts).

Starting python3 and importing numpy, scipy, torch or jax costs from half a second to several
seconds of CPU per process, and the tests start python3 dozens of times. This process imports
them once and forks a child per request, which runs the request's script exactly as
`python3 ARGS` would: the client (CLIENT in python.ts) hands over its own stdin, stdout and stderr
(SCM_RIGHTS), its argv, working folder and environment, and exits with the child's status.

A request the fork cannot serve faithfully runs in a fresh interpreter instead (exec, no preloaded
module): an option before the script (python3 -u …), or an environment that differs from this
process's in a variable read when a module is imported (JAX_*, XLA_*, TORCH_*, OMP_*, MKL_*,
OPENBLAS_*, PYTHON*). torch and jax are imported here only when a request's text mentions them.

Usage: python3 python_server.py SOCKET. Prints "ready" once listening; exits when its stdin closes.
"""

import array
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import traceback

# Variables read at import time by the preloaded modules or by the interpreter itself.
IMPORT_TIME_PREFIXES = ("JAX_", "XLA_", "TF_", "TORCH_", "OMP_", "MKL_", "OPENBLAS_", "PYTHON", "CUDA_", "LD_")
JAX_PREFIXES = ("JAX_", "XLA_", "TF_")
LAZY = ("torch", "jax")


def import_time_env(env):
    return {k: v for k, v in env.items() if k.startswith(IMPORT_TIME_PREFIXES)}


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("client closed the connection")
        data += chunk
    return data


def read_request(conn):
    """A 4-byte length, then the JSON header; the first message carries the client's fds 0, 1, 2."""
    fds = array.array("i")
    msg, ancdata, _flags, _addr = conn.recvmsg(4, socket.CMSG_LEN(3 * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if len(fds) != 3:
        raise ValueError(f"expected 3 file descriptors, got {len(fds)}")
    if len(msg) < 4:
        msg += recv_exactly(conn, 4 - len(msg))
    (size,) = struct.unpack("!I", msg)
    return json.loads(recv_exactly(conn, size).decode("utf-8")), list(fds)


def script_of(argv):
    """('c', code) | ('stdin', None) | ('path', path) for the requests a fork runs, else None."""
    if not argv or argv[0] == "-":
        return ("stdin", None)
    if argv[0] == "-c" and len(argv) >= 2:
        return ("c", argv[1])
    if not argv[0].startswith("-"):
        return ("path", argv[0])
    return None


def text_of(request, kind, value):
    if kind == "c":
        return value
    if kind == "path":
        try:
            with open(os.path.join(request["cwd"], value), "r", encoding="utf-8", errors="replace") as f:
                return f.read(65536)
        except OSError:
            return ""
    return ""


unavailable = set()


def plan(env, base_env, script):
    """(fresh, jax_env): whether the request needs a fresh interpreter, and whether its JAX variables
    are this process's. JAX reads its variables when imported: a request with others can still fork
    while jax is not imported here (its child imports jax itself), and then jax is not preloaded."""
    if script is None:
        return True, False
    request_env = import_time_env(env)
    differing = {k for k in set(request_env) | set(base_env) if request_env.get(k) != base_env.get(k)}
    jax_differing = {k for k in differing if k.startswith(JAX_PREFIXES)}
    if differing - jax_differing:
        return True, False
    if jax_differing:
        return "jax" in sys.modules, False
    return False, True


def preload(text, skip=()):
    """Imports torch or jax here, before forking, when the request mentions them (never required)."""
    for name in LAZY:
        if name in text and name not in skip and name not in sys.modules and name not in unavailable:
            try:
                importlib.import_module(name)
            except BaseException:
                unavailable.add(name)


def run_child(request, kind, value):
    """In the forked child: become `python3 ARGS` and never return."""
    argv = request["argv"]
    code = 0
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
        if kind == "stdin":
            source, filename = sys.stdin.read(), "<stdin>"
            sys.argv = argv if argv else [""]
            sys.path[0] = ""
        elif kind == "c":
            source, filename = value, "<string>"
            sys.argv = ["-c"] + argv[2:]
            sys.path[0] = ""
        else:
            path = os.path.join(request["cwd"], value)
            with open(path, "rb") as f:
                source = f.read()
            filename = value
            sys.argv = list(argv)
            sys.path[0] = os.path.dirname(os.path.abspath(path))
        main = {"__name__": "__main__", "__builtins__": __builtins__}
        if kind == "path":
            main["__file__"] = value
        import types

        module = types.ModuleType("__main__")
        module.__dict__.update(main)
        sys.modules["__main__"] = module
        exec(compile(source, filename, "exec"), module.__dict__)
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        # As python3 prints it: from the script's frame down, without this function's.
        kind, error, tb = sys.exc_info()
        traceback.print_exception(kind, error, tb.tb_next)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code & 0xFF)


def serve(conn, request, fds, script, fresh):
    """In the supervising child: run the request (forked, or exec'd fresh), send its status, exit."""
    pid = os.fork()
    if pid == 0:
        conn.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        if fresh:
            try:
                os.chdir(request["cwd"])
                os.execve(sys.executable, [sys.executable] + request["argv"], request["env"])
            finally:
                os._exit(127)
        run_child(request, *script)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    try:
        conn.sendall(json.dumps({"status": status}).encode("utf-8"))
    finally:
        os._exit(0)


def main():
    path = sys.argv[1]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    print("ready", flush=True)
    # Bound first, so clients queue while these imports run.
    for name in ("numpy", "scipy", "scipy.linalg"):
        try:
            importlib.import_module(name)
        except BaseException:
            pass
    base_env = import_time_env(os.environ)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "parent")
    while True:
        for key, _ in selector.select():
            if key.data == "parent":
                if not os.read(sys.stdin.fileno(), 4096):
                    reap(block=True)
                    return
                continue
            conn, _ = listener.accept()
            fds = []
            try:
                conn.settimeout(30)
                request, fds = read_request(conn)
                conn.settimeout(None)
                script = script_of(request["argv"])
                fresh, jax_env = plan(request["env"], base_env, script)
                if not fresh:
                    # torch or jax is imported here, once, before forking.
                    preload(text_of(request, *script), skip=() if jax_env else ("jax",))
                if os.fork() == 0:
                    listener.close()
                    serve(conn, request, fds, script, fresh)
            except BaseException:
                traceback.print_exc()
            for fd in fds:
                os.close(fd)
            conn.close()
        reap(block=False)


def reap(block):
    """Waits for finished supervisors (so that their CPU time counts as this process's children's)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    main()
