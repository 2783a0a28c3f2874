// Start-up of a whole process against `node -e 0`: `matcalc --version`, a small `grad` with and
// without its check, interleaved run by run so that the load of a shared machine hits every command
// alike. Prints the median wall time and CPU time (user + system, from /usr/bin/time when present)
// of each and its ratio to `node -e 0`; asserts nothing. BENCH_STARTUP_RUNS (default 30);
// BENCH_STARTUP_BASELINE=<another build's dist/src/cli/matcalc.js> adds its rows, to compare builds.
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

const commands = [
  ['node -e 0', ['-e', '0']],
  ['matcalc --version', [bin, '--version']],
  ['matcalc --help', [bin, '--help']],
  ['matcalc grad "xᵀAx" --wrt x', [bin, 'grad', 'xᵀAx', '--wrt', 'x']],
  ['matcalc grad "xᵀAx" --wrt x --no-check', [bin, 'grad', 'xᵀAx', '--wrt', 'x', '--no-check']],
];
const baseline = process.env.BENCH_STARTUP_BASELINE;
if (baseline) {
  commands.push(
    ['baseline --version', [baseline, '--version']],
    ['baseline grad "xᵀAx" --wrt x', [baseline, 'grad', 'xᵀAx', '--wrt', 'x']],
  );
}

/** One run: wall ms, and CPU ms (user + system) when perf or /usr/bin/time can report it. */
function once(args) {
  const [command, argv] = perf
    ? [perf, ['stat', '-x,', '-e', 'task-clock', process.execPath, ...args]]
    : time
      ? [time, ['-f', '%U %S', process.execPath, ...args]]
      : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(command, argv, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop();
  if (perf) return { wall, cpu: Number(last.split(',')[0]) };
  if (time) {
    const [user, system] = last.split(' ').map(Number);
    return { wall, cpu: (user + system) * 1000 };
  }
  return { wall, cpu: NaN };
}

const samples = commands.map(() => ({ wall: [], cpu: [] }));
for (const [, args] of commands) once(args); // warm the file cache
for (let r = 0; r < runs; r++) {
  commands.forEach(([, args], i) => {
    const { wall, cpu } = once(args);
    samples[i].wall.push(wall);
    samples[i].cpu.push(cpu);
  });
}
const base = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
console.log(`\nstart-up: whole processes, ${runs} runs each, interleaved; medians (CPU: ${perf ? 'perf task-clock' : 'user + system, 10 ms resolution'})`);
console.log('  wall ms   × node    CPU ms   × node   command');
commands.forEach(([label], i) => {
  const wall = median(samples[i].wall);
  const cpu = median(samples[i].cpu);
  const cpuColumns = Number.isNaN(cpu) ? '       —        —' : `${cpu.toFixed(0).padStart(9)} ${(cpu / base.cpu).toFixed(2).padStart(7)}×`;
  console.log(`  ${wall.toFixed(0).padStart(7)} ${(wall / base.wall).toFixed(2).padStart(7)}× ${cpuColumns}   ${label}`);
});

const callgrindRuns = Number(process.env.BENCH_STARTUP_CALLGRIND ?? 0);
const valgrind = ['/usr/bin/valgrind', '/usr/local/bin/valgrind'].find((p) => existsSync(p));
if (callgrindRuns > 0 && !valgrind) console.log('\n(BENCH_STARTUP_CALLGRIND: valgrind is not installed)');
if (callgrindRuns > 0 && valgrind) {
  /** Instructions of one whole process under callgrind (its summary line on standard error). */
  const instructions = (args) => {
    const r = spawnSync(valgrind, ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const found = /Collected : (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !found) throw new Error(`callgrind ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-500)}`);
    return Number(found[1]);
  };
  const counts = commands.map(() => []);
  for (let r = 0; r < callgrindRuns; r++) commands.forEach(([, args], i) => counts[i].push(instructions(args)));
  const baseCount = median(counts[0]);
  console.log(`\nstart-up: instructions under callgrind, median of ${callgrindRuns} run(s) each`);
  console.log('  instructions (M)   × node   command');
  commands.forEach(([label], i) => {
    const count = median(counts[i]);
    console.log(`  ${(count / 1e6).toFixed(0).padStart(16)} ${(count / baseCount).toFixed(2).padStart(7)}×   ${label}`);
  });
}
