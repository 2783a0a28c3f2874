/// <reference lib="dom" />
/**
 * The playground page's script (bundled with KaTeX by scripts/bundle-playground.mjs): reads the
 * inputs, runs the engine (engine.ts, the page's only door into the library) a moment after
 * the typing stops, and shows the answer. Plain DOM. Everything from the input or the engine goes
 * into the page as text (textContent), never as HTML; the math is typeset by KaTeX with trust off,
 * so a \href or \htmlClass in the LaTeX does nothing. The state lives in the URL hash, so a link
 * reproduces the answer. The engine runs in a Web Worker (runner.ts) from its own script, which
 * the page carries as text (worker.ts).
 */
import katex from 'katex';
import type { PlaygroundAnswer, PlaygroundState } from './engine.js';
import { COMMANDS, type Command, type Timed } from './protocol.js';
import { Runner } from './runner.js';

/** How long the typing must pause before the engine runs (ms). */
const DEBOUNCE_MS = 250;

const STATE_KEYS = ['expr', 'wrt', 'dims', 'assume', 'cmd'] as const;

const EXAMPLES: readonly (PlaygroundState & { label: string })[] = [
  { label: "x'Ax", expr: "x'*A*x", wrt: 'x', dims: '', assume: '', cmd: 'grad' },
  { label: 'aᵀexp(Xb)', expr: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4', assume: '', cmd: 'grad' },
  { label: 'least squares', expr: 'norm2(A*x - y)^2', wrt: 'x', dims: '', assume: '', cmd: 'grad' },
  { label: 'a layer', expr: 'Y = σ(WX); ⟨Y, MY⟩', wrt: 'W,X', dims: '', assume: '', cmd: 'grad' },
  { label: 'log det', expr: 'log det S - tr(S*C)', wrt: 'S', dims: '', assume: 'S:spd', cmd: 'grad' },
  { label: 'jac σ(Wx)', expr: 'σ(Wx)', wrt: 'x', dims: '', assume: '', cmd: 'jac' },
  { label: 'diff X⁻¹', expr: 'inv(X)', wrt: 'X', dims: '', assume: '', cmd: 'diff' },
  { label: 'hess logistic', expr: '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', wrt: 'w', dims: '', assume: '', cmd: 'hess' },
];

const DEFAULT_STATE: PlaygroundState = EXAMPLES[1]!;

const RESULT_TITLE: Readonly<Record<Command, string>> = { grad: 'Gradient', diff: 'Differential', jac: 'Jacobian', hess: 'Hessian' };

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

function pageInputs() {
  return {
    expr: element<HTMLTextAreaElement>('expr'),
    wrt: element<HTMLInputElement>('wrt'),
    dims: element<HTMLInputElement>('dims'),
    assume: element<HTMLInputElement>('assume'),
    cmd: element<HTMLSelectElement>('cmd'),
  };
}

let inputs: ReturnType<typeof pageInputs>;

// ---- the URL hash: expr=…&wrt=…&dims=…&assume=…&cmd=grad, each value URL-encoded ----

/** Reads the hash by hand: URLSearchParams would read a '+' as a space, and `a+b` is a sum. */
function stateFromHash(hash: string): PlaygroundState | undefined {
  const text = hash.replace(/^#/, '');
  if (text === '') return undefined;
  const values: Record<string, string> = {};
  for (const pair of text.split('&')) {
    const cut = pair.indexOf('=');
    const key = cut < 0 ? pair : pair.slice(0, cut);
    const raw = cut < 0 ? '' : pair.slice(cut + 1);
    try {
      values[key] = decodeURIComponent(raw);
    } catch {
      values[key] = raw; // a stray '%' typed into the address bar: taken as written
    }
  }
  const cmd = (COMMANDS as readonly string[]).includes(values.cmd ?? '') ? (values.cmd as Command) : 'grad';
  return { expr: values.expr ?? '', wrt: values.wrt ?? '', dims: values.dims ?? '', assume: values.assume ?? '', cmd };
}

function hashOf(state: PlaygroundState): string {
  return `#${STATE_KEYS.filter((k) => k === 'expr' || k === 'wrt' || k === 'cmd' || state[k] !== '')
    .map((k) => `${k}=${encodeURIComponent(state[k])}`)
    .join('&')}`;
}

function readInputs(): PlaygroundState {
  const cmd = inputs.cmd.value as Command;
  return { expr: inputs.expr.value, wrt: inputs.wrt.value, dims: inputs.dims.value, assume: inputs.assume.value, cmd };
}

function writeInputs(state: PlaygroundState): void {
  inputs.expr.value = state.expr;
  inputs.wrt.value = state.wrt;
  inputs.dims.value = state.dims;
  inputs.assume.value = state.assume;
  inputs.cmd.value = state.cmd;
}

// ---- showing an answer ----

function typeset(target: HTMLElement, tex: string): void {
  // trust: false — no \href, \url, \includegraphics or \html…; errors show as red source text.
  katex.render(tex, target, { displayMode: true, throwOnError: false, trust: false, strict: 'ignore', output: 'htmlAndMathml' });
}

let current: PlaygroundAnswer | undefined;

function showError(text: string): void {
  current = undefined;
  element('output').hidden = true;
  element('gradient').textContent = '';
  element('read').textContent = '';
  const error = element('error');
  error.textContent = text;
  error.hidden = false;
}

function showAnswer(answer: PlaygroundAnswer, cmd: Command): void {
  current = answer;
  element('error').hidden = true;
  element('error').textContent = '';
  element('read').textContent = answer.read;
  typeset(element('read-math'), answer.latex.read);
  element('result-title').textContent = RESULT_TITLE[cmd];
  element('gradient').textContent = answer.resultText;
  typeset(element('result-math'), answer.latex.result);
  element('shapes').textContent = answer.shapes;
  const check = element('check');
  check.textContent = answer.check.text;
  check.className = `check ${answer.check.status}`;
  const notes = element('notes');
  notes.replaceChildren(...answer.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  element('notes-block').hidden = answer.notes.length === 0;
  element('derivation-title').textContent = `Derivation (${answer.steps.length} steps)`;
  element('derivation-text').textContent = answer.steps.map((s) => (s.rule && !['start', 'total', 'grad'].includes(s.rule) ? `${s.text}    ${s.rule}` : s.text)).join('\n');
  showDerivation();
  element('numpy-code').textContent = answer.numpy;
  element('torch-code').textContent = answer.torch;
  showGraph(answer.graph);
  element('output').hidden = false;
}

/**
 * The graph: SVG markup the engine wrote (emit/graph/svg.ts escapes every text in it), parsed as XML
 * and imported as nodes, never assigned as HTML, so nothing in it can run.
 */
function showGraph(graph: PlaygroundAnswer['graph']): void {
  const svg = new DOMParser().parseFromString(graph.svg, 'image/svg+xml').documentElement;
  const picture = element('graph-picture');
  if (svg.nodeName !== 'svg') picture.replaceChildren();
  else picture.replaceChildren(document.importNode(svg, true));
  element('graph-note').textContent = graph.note ?? '';
}

/** The derivation is typeset only while it is open: a long one costs KaTeX time on every keystroke. */
function showDerivation(): void {
  const open = (element('derivation') as HTMLDetailsElement).open;
  const math = element('derivation-math');
  const tex = current?.latex.derivation;
  if (open && tex) typeset(math, tex);
  else math.replaceChildren();
  // Where there is no LaTeX derivation, the text lines stand in for it.
  element('derivation-text').hidden = open && tex !== undefined;
}

// ---- running ----

let timer: ReturnType<typeof setTimeout> | undefined;
let firstResult = true;
let runner: Runner;

/** Sends the inputs to the engine (and the hash); the answer comes back in show(). */
function update(): void {
  timer = undefined;
  const state = readInputs();
  history.replaceState(null, '', hashOf(state));
  if (state.expr.trim() === '') {
    runner.cancel();
    current = undefined;
    delete document.body.dataset.pending;
    element('output').hidden = true;
    element('error').hidden = true;
    element('gradient').textContent = '';
    element('status').textContent = 'Type an expression.';
    return;
  }
  document.body.dataset.pending = 'true';
  element('status').textContent = 'Computing…';
  runner.request(state);
}

/** The answer to the newest input (the runner drops older ones). */
function show({ state, result, ms }: Timed): void {
  if (result.ok) showAnswer(result, state.cmd);
  else showError(result.error);
  element('status').textContent = `${result.ok ? 'Computed' : 'Read'} in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms, in this page.`;
  // Tests (and the bench) wait for this to go: while it is set, what is shown is for older input.
  delete document.body.dataset.pending;
  if (firstResult) {
    firstResult = false;
    performance.mark('matcalc:first-result'); // for bench/playground.mjs
  }
}

function schedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  element('status').textContent = '…';
  document.body.dataset.pending = 'true';
  timer = setTimeout(update, DEBOUNCE_MS);
}

/** A choice rather than typing (command, example, link): no debounce, and no older keystroke's run after it. */
function runNow(): void {
  if (timer !== undefined) clearTimeout(timer);
  update();
}

// ---- copying ----

async function copy(text: string, what: string): Promise<void> {
  const note = element('copy-note');
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (some browsers on file:// pages): the old way, through a selection.
    const area = Object.assign(document.createElement('textarea'), { value: text });
    document.body.append(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    if (!done) {
      note.textContent = `Could not copy the ${what}: open the module below and copy it by hand.`;
      return;
    }
  }
  note.textContent = `Copied the ${what}.`;
}

function wire(): void {
  for (const input of Object.values(inputs)) input.addEventListener('input', schedule);
  inputs.cmd.addEventListener('change', runNow);
  element('derivation').addEventListener('toggle', showDerivation);
  element('copy-latex').addEventListener('click', () => current && void copy(current.latexDocument, 'LaTeX'));
  element('copy-numpy').addEventListener('click', () => current && void copy(current.numpy, 'NumPy module'));
  element('copy-torch').addEventListener('click', () => current !== undefined && void copy(current.torch, 'PyTorch module'));
  // A link followed to another state of this page (or the hash edited by hand) is shown at once.
  window.addEventListener('hashchange', () => {
    const state = stateFromHash(location.hash);
    if (!state) return;
    writeInputs(state);
    runNow();
  });
  const examples = element('examples');
  for (const example of EXAMPLES) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: example.label, title: `${example.cmd} ${example.expr}` });
    button.addEventListener('click', () => {
      writeInputs(example);
      runNow();
    });
    examples.append(button);
  }
}

function start(): void {
  inputs = pageInputs();
  runner = new Runner(element('matcalc-engine').textContent ?? '', show);
  wire();
  writeInputs(stateFromHash(location.hash) ?? DEFAULT_STATE);
  update();
}

start();
