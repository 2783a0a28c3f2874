"""The long-lived process: one per session, fast, restarted once after a crash, thread-safe, closed."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import matcalc
from matcalc._process import locate_cli


def fake_cli(tmp_path, body):
    """A stand-in for the CLI (a Python script reading requests on stdin) to make it misbehave."""
    script = tmp_path / "fake_matcalc.py"
    script.write_text("import json, sys, time\n" + textwrap.dedent(body))
    return [sys.executable, str(script)]


def gone(pid, wait=10.0):
    """True once no process has this pid (a zombie still has one, in /proc, as state Z)."""
    deadline = time.time() + wait
    while time.time() < deadline:
        status = Path(f"/proc/{pid}/status")
        if not status.exists():
            return True
        time.sleep(0.05)
    return False


def test_one_process_answers_many_calls_in_milliseconds(session):
    start = time.perf_counter()
    session.grad("xᵀx", wrt="x")  # starts Node
    first = time.perf_counter() - start
    pid = session.pid
    start = time.perf_counter()
    for k in range(20):
        assert session.grad(f"xᵀx + {k}", wrt="x").text == "2x"
    per_call = (time.perf_counter() - start) / 20
    assert session.pid == pid
    assert session._process.starts == 1
    # A few milliseconds against a Node start-up's few hundred (relative: the machine may be busy).
    assert per_call < first / 3, f"{per_call * 1000:.1f} ms per call, {first * 1000:.0f} ms for the first"


def test_a_killed_process_is_restarted(session):
    session.grad("xᵀx", wrt="x")
    first = session.pid
    os.kill(first, signal.SIGKILL)
    assert session.grad("aᵀexp(Xb)", wrt="X").text == "(exp(Xb) ⊙ a)bᵀ"
    assert session.pid != first
    assert gone(first)  # reaped, not left a zombie
    assert session._process.starts == 2


def test_a_process_that_dies_on_every_request_is_an_error_after_one_retry(tmp_path):
    cli = fake_cli(tmp_path, """
        sys.stdin.readline()
        sys.stderr.write("boom: cannot go on\\n")
        sys.exit(3)
    """)
    with matcalc.Session(cli) as s:
        with pytest.raises(matcalc.MatcalcProcessError) as info:
            s.grad("xᵀx", wrt="x")
        assert s._process.starts == 2
    assert info.value.id == "process/crashed"
    assert "died twice" in str(info.value) and "exit code 3" in str(info.value)
    assert "boom: cannot go on" in str(info.value)


def test_a_cli_without_stream_says_so(tmp_path):
    cli = fake_cli(tmp_path, """
        sys.stderr.write("error: unknown option '--stream'\\n")
        sys.exit(2)
    """)
    with matcalc.Session(cli) as s, pytest.raises(matcalc.MatcalcProcessError, match="no `batch --stream`"):
        s.grad("xᵀx", wrt="x")


def test_a_silent_process_times_out_and_is_ended(tmp_path):
    cli = fake_cli(tmp_path, """
        for line in sys.stdin:
            pass
    """)
    with matcalc.Session(cli, timeout=0.5) as s:
        with pytest.raises(matcalc.MatcalcProcessError, match="did not answer within 0.5 s") as info:
            s.grad("xᵀx", wrt="x")
        assert info.value.id == "process/timeout"
        assert s.pid is None


def test_answers_to_abandoned_requests_are_skipped(tmp_path):
    # A call interrupted by Ctrl-C leaves its answer in the pipe; the next call must not take it.
    cli = fake_cli(tmp_path, """
        for line in sys.stdin:
            request = json.loads(line)
            print(json.dumps({"error": {"code": "MC2000", "id": "usage", "message": "stale"}, "id": -1}), flush=True)
            print(json.dumps({"error": {"code": "MC2000", "id": "usage", "message": "fresh " + request["expr"]}, "id": request["id"]}), flush=True)
    """)
    with matcalc.Session(cli) as s, pytest.raises(matcalc.MatcalcError, match="fresh xᵀx"):
        s.grad("xᵀx", wrt="x")


def test_threads_share_one_session(session):
    expressions = {f"xᵀx + {k}*sum(x)": f"2x + {k}𝟙" for k in range(2, 8)}
    expected = {e: session.grad(e, wrt="x").text for e in expressions}
    results, errors = [], []

    def work(expr):
        try:
            for _ in range(5):
                results.append((expr, session.grad(expr, wrt="x").text))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(e,)) for e in expressions for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 60
    assert all(text == expected[expr] for expr, text in results)
    assert session._process.starts == 1


def test_close_and_the_context_manager_end_the_process():
    with matcalc.Session() as s:
        s.grad("xᵀx", wrt="x")
        pid = s.pid
    assert s.pid is None
    assert gone(pid)
    assert s.grad("xᵀx", wrt="x").text == "2x"  # a closed session starts again when used
    s.close()


def test_module_level_session_and_close():
    matcalc.grad("xᵀx", wrt="x")
    pid = matcalc.session().pid
    matcalc.close()
    assert gone(pid)


def test_no_process_outlives_the_interpreter(tmp_path):
    # The interpreter exits without close(): the process must end too, leaving no zombie.
    code = "import matcalc; s = matcalc.Session(); s.grad('xᵀx', wrt='x'); print(s.pid); matcalc.grad('xᵀx', wrt='x'); print(matcalc.session().pid)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, encoding="utf-8", timeout=60)
    assert out.returncode == 0, out.stderr
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 2
    for pid in pids:
        assert gone(pid), f"matcalc process {pid} is still there"


def test_node_missing_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither node nor matcalc
    monkeypatch.delenv("MATCALC_NODE", raising=False)
    with pytest.raises(matcalc.MatcalcProcessError, match="needs Node.js") as info:
        locate_cli()
    assert info.value.id == "process/no-node"


def test_where_the_cli_is_found(monkeypatch, tmp_path):
    node = subprocess.run(["sh", "-c", "command -v node"], capture_output=True, encoding="utf-8").stdout.strip()
    cli_js = os.environ["MATCALC_CLI"]
    # 1. MATCALC_CLI, with MATCALC_NODE.
    monkeypatch.setenv("MATCALC_NODE", node)
    assert locate_cli() == [node, cli_js]
    monkeypatch.setenv("MATCALC_CLI", str(tmp_path / "missing.js"))
    with pytest.raises(matcalc.MatcalcProcessError, match="no such file"):
        locate_cli()
    monkeypatch.delenv("MATCALC_CLI")
    monkeypatch.delenv("MATCALC_NODE")
    # 2. matcalc on the PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "matcalc"
    wrapper.write_text(f'#!/bin/sh\nexec "{node}" "{cli_js}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{Path(node).parent}")
    assert locate_cli() == [str(wrapper)]
    with matcalc.Session() as s:
        assert s.grad("xᵀx", wrt="x").text == "2x"
    # 3. The clone the package was installed from (this test runs in one).
    monkeypatch.setenv("PATH", str(Path(node).parent))
    found = locate_cli()
    assert found[0] == node and found[1].endswith(os.path.join("dist", "src", "cli", "matcalc.js"))
    assert Path(found[1]).is_file()
