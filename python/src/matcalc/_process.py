"""One long-lived ``matcalc batch --stream`` process: requests as JSON lines in, answers out.

A Node start-up costs a few hundred milliseconds; a request to a running process costs a few. The
process is started on the first request, restarted once if it has died, and ended by ``close()``,
by the garbage collector, or at interpreter exit (no zombie is left behind).
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import queue
import shutil
import subprocess
import threading
import weakref
from importlib import metadata
from pathlib import Path
from typing import Any, Deque, Dict, List, Optional, Sequence

from ._errors import MatcalcProcessError

#: Where the CLI is searched, in order (the README says the same).
CLI_ENV = "MATCALC_CLI"
NODE_ENV = "MATCALC_NODE"
_REPO_CLI = Path("dist", "src", "cli", "matcalc.js")


def locate_cli() -> List[str]:
    """The command that runs the matcalc CLI, without arguments.

    1. ``$MATCALC_CLI``: a ``.js`` file (run with Node) or an executable;
    2. ``matcalc`` on the PATH (``npm install -g .`` or ``npm link`` in a clone);
    3. the clone this package was installed from: ``dist/src/cli/matcalc.js`` beside ``python/``,
       found from the package's own location (an editable install, or the source tree) or from the
       directory pip recorded at install time (``pip install ./python``).
    Node is ``$MATCALC_NODE``, else ``node`` on the PATH.
    """
    explicit = os.environ.get(CLI_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.exists():
            raise MatcalcProcessError(f"{CLI_ENV}={explicit}: no such file", id="process/not-found")
        return _with_node(path) if path.suffix in (".js", ".mjs", ".cjs") else [str(path)]
    on_path = shutil.which("matcalc")
    if on_path:
        _node()  # the command is a Node script: say so now if Node is missing
        return [on_path]
    for root in _clone_roots():
        script = root / _REPO_CLI
        if script.is_file():
            return _with_node(script)
        if (root / "package.json").is_file():
            raise MatcalcProcessError(
                f"matcalc's clone at {root} is not built: run `npm ci && npm run build` there"
                f" (or set {CLI_ENV} to the CLI)",
                id="process/not-found",
            )
    raise MatcalcProcessError(
        "cannot find the matcalc CLI: set MATCALC_CLI to dist/src/cli/matcalc.js of a built clone,"
        " put `matcalc` on the PATH (`npm install -g .` in the clone), or install this package from"
        " the clone (`pip install ./python`)",
        id="process/not-found",
    )


def _with_node(script: Path) -> List[str]:
    return [_node(), str(script)]


def _node() -> str:
    explicit = os.environ.get(NODE_ENV)
    if explicit:
        if shutil.which(explicit) is None and not Path(explicit).is_file():
            raise MatcalcProcessError(f"{NODE_ENV}={explicit}: no such program", id="process/no-node")
        return explicit
    found = shutil.which("node")
    if found is None:
        raise MatcalcProcessError(
            "matcalc needs Node.js (20 or later): `node` is not on the PATH (or set MATCALC_NODE to it)",
            id="process/no-node",
        )
    return found


def _clone_roots() -> List[Path]:
    """Candidate clone roots: above the package's own files, and the directory pip installed from."""
    roots = [Path(__file__).resolve().parents[3]]  # python/src/matcalc/_process.py -> the clone
    try:
        direct = metadata.distribution("matcalc").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if direct:
        url = json.loads(direct).get("url", "")
        if url.startswith("file://"):
            from urllib.parse import unquote, urlparse

            roots.append(Path(unquote(urlparse(url).path)).parent)
    return roots


_EOF = object()


class Process:
    """The running CLI, its reader threads, and the lock that keeps one request on the pipe at a time."""

    def __init__(self, command: Optional[Sequence[str]] = None, timeout: Optional[float] = None) -> None:
        self._command = list(command) if command else None
        self.timeout = timeout
        self._lock = threading.RLock()
        self._proc: Optional[subprocess.Popen] = None
        self._lines: "queue.Queue[Any]" = queue.Queue()
        self._stderr: Deque[str] = collections.deque(maxlen=50)
        self._stderr_pump: Optional[threading.Thread] = None
        self._ids = itertools.count(1)
        self._finalizer: Optional[weakref.finalize] = None
        self.starts = 0  # how many processes were started (the tests read it)

    @property
    def command(self) -> List[str]:
        if self._command is None:
            self._command = locate_cli()
        return self._command

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None else None

    def request(self, fields: Dict[str, Any]) -> Dict[str, Any]:
        """Sends one request and returns its answer line; restarts a dead process once."""
        with self._lock:
            try:
                return self._exchange(fields)
            except _Died as first:
                self._stop()
                try:
                    return self._exchange(fields)
                except _Died as second:
                    self._stop()
                    raise MatcalcProcessError(
                        f"the matcalc process died twice on this request ({first}; then {second})"
                        + self._stderr_note(),
                        id="process/crashed",
                    ) from None

    def close(self) -> None:
        with self._lock:
            self._stop()

    # -- the pipe -------------------------------------------------------------------------------

    def _exchange(self, fields: Dict[str, Any]) -> Dict[str, Any]:
        proc = self._running()
        number = next(self._ids)
        line = json.dumps({**fields, "id": number}) + "\n"  # ASCII only: \u escapes
        try:
            assert proc.stdin is not None
            proc.stdin.write(line)
            proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as error:
            raise _Died(f"could not write to it: {error}") from None
        except BaseException:
            # Interrupted (Ctrl-C) in the middle of a line: the next line would be glued to it.
            self._stop()
            raise
        while True:
            try:
                answer = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                self._stop()
                raise MatcalcProcessError(
                    f"matcalc did not answer within {self.timeout} s (the process was ended; the next"
                    " call starts a new one)",
                    id="process/timeout",
                ) from None
            if answer is _EOF:
                code = proc.wait()
                # The process is gone, so its standard error ends too: let the pump copy the last of it
                # (the reason it died) before the message that quotes it is written.
                if self._stderr_pump is not None:
                    self._stderr_pump.join(timeout=2)
                raise _Died(f"exit code {code}")
            try:
                parsed = json.loads(answer)
            except json.JSONDecodeError:
                raise MatcalcProcessError(
                    f"matcalc answered with a line that is not JSON: {answer[:200]!r}" + self._stderr_note(),
                    id="process/bad-answer",
                ) from None
            if "id" not in parsed:  # the CLI could not read a request line at all
                raise MatcalcProcessError(f"matcalc could not read the request: {answer.strip()}", id="process/bad-request")
            # An answer to an earlier request (abandoned by KeyboardInterrupt) is skipped.
            if parsed.get("id") == number:
                parsed.pop("id")
                return parsed

    def _running(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        command = self.command + ["batch", "--stream"]
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                bufsize=1,
                env={**os.environ, "NO_COLOR": "1"},
                # Ctrl-C in a terminal (or a Jupyter interrupt) goes to Python, not to the CLI.
                start_new_session=True,
            )
        except OSError as error:
            raise MatcalcProcessError(f"cannot start matcalc ({' '.join(command)}): {error}", id="process/not-found") from None
        self.starts += 1
        self._proc = proc
        self._lines = queue.Queue()
        self._stderr.clear()
        threading.Thread(target=_pump, args=(proc.stdout, self._lines.put, True), daemon=True).start()
        self._stderr_pump = threading.Thread(target=_pump, args=(proc.stderr, self._stderr.append, False), daemon=True)
        self._stderr_pump.start()
        self._finalizer = weakref.finalize(self, _end, proc)
        return proc

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # ends the process; the finalizer also runs at interpreter exit
            self._finalizer = None
        self._proc = None

    def _stderr_note(self) -> str:
        text = "".join(self._stderr).strip()
        if "unknown option '--stream'" in text:
            return "; this matcalc CLI has no `batch --stream`: use a newer build (see python/README.md)"
        return f"; its standard error:\n{text}" if text else ""


class _Died(Exception):
    pass


def _pump(stream: Any, put: Any, eof: bool) -> None:
    """Copies a pipe's lines to ``put`` until the process closes it (then ``_EOF``, if ``eof``)."""
    try:
        for line in stream:
            put(line)
    except (OSError, ValueError):
        pass
    finally:
        if eof:
            put(_EOF)
        try:
            stream.close()
        except OSError:
            pass


def _end(proc: subprocess.Popen) -> None:
    """Closes standard input (the CLI then exits by itself), waits, and kills it if it does not."""
    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
