import { spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from 'node:child_process';

/**
 * `python3 ARGS` for the tests, through the fork server when one runs (test/setup/python-server.ts
 * starts it for a vitest run; test/helpers/python_server.py): a child forked from an interpreter that
 * has numpy and scipy (and, once asked for, torch and jax) imported already, which otherwise costs
 * from half a second to several seconds of CPU per process. The child runs exactly as `python3 ARGS`
 * would: same stdin, stdout, stderr, argv, working folder, environment and exit status.
 * MATCALC_TEST_PYTHON_SERVER=off spawns python3 itself every time.
 */
export function python3(args: readonly string[], options: SpawnSyncOptionsWithStringEncoding): SpawnSyncReturns<string> {
  const [command, all] = python3Command(args);
  return spawnSync(command, all, options);
}

/** The command and arguments that run `python3 ARGS` (for execFileSync or spawn). */
export function python3Command(args: readonly string[]): [string, string[]] {
  const socket = process.env[PYTHON_SOCKET_ENV];
  const executable = process.env[PYTHON_EXECUTABLE_ENV];
  if (process.env[PYTHON_SERVER_ENV] === 'off' || socket === undefined || executable === undefined) return ['python3', [...args]];
  // -I -S: the client imports nothing beyond the socket and starts in ~20 ms.
  return [executable, ['-I', '-S', '-c', CLIENT, socket, ...args]];
}

export const PYTHON_SERVER_ENV = 'MATCALC_TEST_PYTHON_SERVER';
export const PYTHON_SOCKET_ENV = 'MATCALC_TEST_PYTHON_SOCKET';
/** The interpreter `python3` resolves to (past a pyenv shim, itself ~0.4 s of CPU per start). */
export const PYTHON_EXECUTABLE_ENV = 'MATCALC_TEST_PYTHON_EXECUTABLE';

/**
 * Hands the server its stdin, stdout and stderr with the request, waits for the child's status and
 * exits with it (or dies of its signal). When the server cannot be reached it becomes
 * `python3 ARGS` itself (exec), so a test never depends on the server being up.
 */
const CLIENT = String.raw`
import array, json, os, signal, socket, struct, sys
path, args = sys.argv[1], sys.argv[2:]
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
except OSError:
    os.execv(sys.executable, [sys.executable] + args)
body = json.dumps({"argv": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode("utf-8")
message = struct.pack("!I", len(body)) + body
sent = s.sendmsg([message], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
s.sendall(message[sent:])
reply = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    reply += chunk
if not reply:
    sys.stderr.write("python3 fork server: no status for the request (the server died?)\n")
    os._exit(70)
code = os.waitstatus_to_exitcode(json.loads(reply)["status"])
if code < 0:
    try:
        signal.signal(-code, signal.SIG_DFL)
    except (OSError, ValueError):
        pass
    os.kill(os.getpid(), -code)
os._exit(code)
`;
