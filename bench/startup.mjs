// Start-up of a whole process against `node -e 0`: `matcalc --version`, a small `grad` with and
// without its check, interleaved run by run so that the load of a shared machine hits every command
// alike. Prints the median wall time, CPU time (perf's task-clock, or user + system from
// /usr/bin/time) and page faults of each and its ratio to `node -e 0`; asserts nothing.
// BENCH_STARTUP_RUNS (default 30); BENCH_STARTUP_BASELINE=<another build's dist/src/cli/matcalc.js>
// adds its rows, to compare builds.
// BENCH_STARTUP_CALLGRIND=<runs> (when valgrind is installed) also counts each command's instructions
// under callgrind, which a loaded shared machine does not change (±2 % between runs, from V8's
// background threads), and prints the median count and its ratio to `node -e 0`: the figure to
// compare builds by when wall and CPU times swing with the load.
//   npm run build && node bench/startup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './timing.mjs';

const bin = fileURLToPath(new URL('../dist/src/cli/matcalc.js', import.meta.url));
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 30);
// CPU time of the child: perf's task-clock (0.01 ms) when perf is there, else /usr/bin/time (10 ms).
const perf = ['/usr/bin/perf', '/usr/local/bin/perf'].find((p) => existsSync(p));
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// The bin as users run it (npx, a PATH lookup: the shell launcher, from the start-up snapshot when this
// Node built it), and `node matcalc.js` (the plain start, with the code cache) for comparison.
const node = process.execPath;
const commands = [
  ['node -e 0', node, ['-e', '0']],
  ['matcalc --version', bin, ['--version']],
  ['matcalc --help', bin, ['--help']],
  ['matcalc grad "xᵀAx" --wrt x', bin, ['grad', 'xᵀAx', '--wrt', 'x']],
  ['matcalc grad "xᵀAx" --wrt x --no-check', bin, ['grad', 'xᵀAx', '--wrt', 'x', '--no-check']],
  ['matcalc grad "sum(log(1 + exp(−y ⊙ Xw)))" --wrt w', bin, ['grad', 'sum(log(1 + exp(-y .* (X*w))))', '--wrt', 'w']],
  ['matcalc hess "sum(log(1 + exp(−y ⊙ Xw)))" --wrt w', bin, ['hess', 'sum(log(1 + exp(-y .* (X*w))))', '--wrt', 'w']],
  ['matcalc hess "log det(X)" --wrt X', bin, ['hess', 'log det(X)', '--wrt', 'X']],
  ['matcalc grad "tr(AXBXᵀ)" --wrt X', bin, ['grad', 'tr(AXBXᵀ)', '--wrt', 'X']],
  ['matcalc grad "xᵀAx" --wrt x --format json', bin, ['grad', 'xᵀAx', '--wrt', 'x', '--format', 'json']],
  ['matcalc grad "xᵀAx" --wrt x --format jax', bin, ['grad', 'xᵀAx', '--wrt', 'x', '--format', 'jax']],
  ['node matcalc.js grad "xᵀAx" --wrt x (plain start)', node, [bin, 'grad', 'xᵀAx', '--wrt', 'x']],
];
// Where NODE_EXTRA_CA_CERTS is set, Node parses that certificate bundle at every start (~40 ms for a
// system bundle), `node -e 0` included; the launcher does not pass it on (matcalc opens no
// connection). A bare Node start, without it, is the other baseline worth a row.
if (process.env.NODE_EXTRA_CA_CERTS) commands.splice(1, 0, ['node -e 0, NODE_EXTRA_CA_CERTS unset', node, ['-e', '0'], { NODE_EXTRA_CA_CERTS: undefined }]);
const baseline = process.env.BENCH_STARTUP_BASELINE;
if (baseline) {
  commands.push(
    ['baseline --version', baseline, ['--version']],
    ['baseline grad "xᵀAx" --wrt x', baseline, ['grad', 'xᵀAx', '--wrt', 'x']],
  );
}

/** The process's environment with NO_COLOR and a command's own changes (undefined removes a variable). */
function environment(changes) {
  const env = { ...process.env, NO_COLOR: '1', ...changes };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** One run as users start it (children included: the bin's shell starts Node): wall ms. */
function wallOnce(file, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(file, args, { encoding: 'utf8', env: environment(env) });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return wall;
}

/**
 * One run under perf (or /usr/bin/time): CPU ms, and page faults where perf counts them. A separate
 * run from the wall time's, since perf's own start would be in it. Faults are worth their own column:
 * on the VMs this is measured on, one costs ~13 µs (~0.2 µs on bare metal), which callgrind's
 * instruction counts never see.
 */
function cpuOnce(file, args, env = {}) {
  const [command, argv] = perf
    ? [perf, ['stat', '-x,', '-e', 'task-clock,page-faults', file, ...args]]
    : time
      ? [time, ['-f', '%U %S', file, ...args]]
      : [undefined, []];
  if (!command) return { cpu: NaN, faults: NaN };
  const r = spawnSync(command, argv, { encoding: 'utf8', env: environment(env) });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  if (perf) {
    const field = (event) => Number(lines.find((l) => l.includes(event))?.split(',')[0]);
    return { cpu: field('task-clock'), faults: field('page-faults') };
  }
  const [user, system] = lines.pop().split(' ').map(Number);
  return { cpu: (user + system) * 1000, faults: NaN };
}

const samples = commands.map(() => ({ wall: [], cpu: [], faults: [] }));
for (const [, file, args, env] of commands) wallOnce(file, args, env); // warm the file cache
for (let r = 0; r < runs; r++) {
  commands.forEach(([, file, args, env], i) => {
    samples[i].wall.push(wallOnce(file, args, env));
    const { cpu, faults } = cpuOnce(file, args, env);
    samples[i].cpu.push(cpu);
    samples[i].faults.push(faults);
  });
}
const base = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
// The bare Node start's row, when there is one: each command's wall time against it too.
const bare = commands.findIndex(([, , , env]) => env && 'NODE_EXTRA_CA_CERTS' in env);
const bareWall = bare >= 0 ? median(samples[bare].wall) : NaN;
console.log(`\nstart-up: whole processes, ${runs} runs each, interleaved; medians (CPU: ${perf ? 'perf task-clock, kernel included' : 'user + system, 10 ms resolution'})`);
console.log(`  wall ms   × node${bare >= 0 ? '   × bare' : ''}    CPU ms   × node    faults   command`);
commands.forEach(([label], i) => {
  const wall = median(samples[i].wall);
  const cpu = median(samples[i].cpu);
  const faults = median(samples[i].faults);
  const bareColumn = bare >= 0 ? ` ${(wall / bareWall).toFixed(2).padStart(7)}×` : '';
  const cpuColumns = Number.isNaN(cpu) ? '       —        —' : `${cpu.toFixed(0).padStart(9)} ${(cpu / base.cpu).toFixed(2).padStart(7)}×`;
  const faultColumn = Number.isNaN(faults) ? '        —' : faults.toFixed(0).padStart(9);
  console.log(`  ${wall.toFixed(0).padStart(7)} ${(wall / base.wall).toFixed(2).padStart(7)}×${bareColumn} ${cpuColumns} ${faultColumn}   ${label}`);
});

const callgrindRuns = Number(process.env.BENCH_STARTUP_CALLGRIND ?? 0);
const valgrind = ['/usr/bin/valgrind', '/usr/local/bin/valgrind'].find((p) => existsSync(p));
if (callgrindRuns > 0 && !valgrind) console.log('\n(BENCH_STARTUP_CALLGRIND: valgrind is not installed)');
if (callgrindRuns > 0 && valgrind) {
  /** Instructions of a whole command under callgrind: every process it runs (each prints its summary line). */
  const instructions = (file, args) => {
    const r = spawnSync(valgrind, ['--tool=callgrind', '--trace-children=yes', '--callgrind-out-file=/dev/null', file, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const found = [...r.stderr.matchAll(/Collected : (\d+)/g)];
    if (r.status !== 0 || found.length === 0) throw new Error(`callgrind ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-500)}`);
    return found.reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const counts = commands.map(() => []);
  for (let r = 0; r < callgrindRuns; r++) commands.forEach(([, file, args], i) => counts[i].push(instructions(file, args)));
  const baseCount = median(counts[0]);
  console.log(`\nstart-up: instructions under callgrind, median of ${callgrindRuns} run(s) each`);
  console.log('  instructions (M)   × node   command');
  commands.forEach(([label], i) => {
    const count = median(counts[i]);
    console.log(`  ${(count / 1e6).toFixed(0).padStart(16)} ${(count / baseCount).toFixed(2).padStart(7)}×   ${label}`);
  });
}
