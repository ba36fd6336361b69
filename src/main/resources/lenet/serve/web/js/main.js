// lenet serve's page: wires the panels together. The drawing (or a file, or a mistake) goes to
// POST /api/predict; the answer fills panel 1 (digit, probabilities, what the network saw) and
// panel 2 (every stage); a click on a cell asks POST /api/explain for panel 3.

import { getJson, postJson, predict } from './api.js';
import { DrawingPad } from './draw.js';
import { LayersView } from './layers.js';
import { renderExplanation } from './arithmetic.js';
import { Playground } from './playground.js';
import { RunsView } from './runs.js';
import { MistakesView } from './mistakes.js';

const $ = (id) => document.getElementById(id);
const state = { model: null, seen: null, seq: 0, selection: null, lastImage: null };

function showModel(info) {
  state.model = info;
  const line = $('model-line');
  if (!info.file) {
    line.textContent = 'No model: ' + info.problem;
    return;
  }
  const acc = info.test_accuracy === null ? 'test accuracy unknown' : `test accuracy ${(100 * info.test_accuracy).toFixed(2)}%`;
  line.textContent = `Model ${info.file}: ${info.title}, trained on ${info.dataset}, ${acc}`;
  buildBars(info.classes);
  mistakes.setModel(info);
}

/** Ten rows of three grid cells: the class, its bar, its percentage. */
function buildBars(names) {
  const root = $('probabilities');
  root.textContent = '';
  names.forEach((name, k) => {
    const d = document.createElement('span');
    d.className = 'digit';
    d.textContent = name;
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.setAttribute('role', 'listitem');
    bar.setAttribute('aria-label', name);
    bar.append(document.createElement('span'));
    bar.firstChild.style.width = '0%';
    const pct = document.createElement('span');
    pct.className = 'pct';
    for (const c of [d, bar, pct]) c.dataset.class = String(k);
    root.append(d, bar, pct);
  });
}

function showProbabilities(p, best) {
  const cells = $('probabilities').children;
  for (let k = 0; k < p.length; k++) {
    const [d, bar, pct] = [cells[3 * k], cells[3 * k + 1], cells[3 * k + 2]];
    bar.firstChild.style.width = (100 * p[k]).toFixed(1) + '%';
    pct.textContent = best < 0 ? '' : (100 * p[k]).toFixed(1) + '%';
    pct.dataset.value = String(p[k]);
    for (const c of [d, bar, pct]) c.classList.toggle('best', k === best);
  }
}

function showSeen(pixels) {
  const canvas = $('seen');
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  pixels.forEach((v, i) => img.data.set([v, v, v, 255], 4 * i));
  ctx.putImageData(img, 0, 0);
}

function clearAnswer() {
  state.seq++;
  $('prediction').textContent = '\u2013';
  $('confidence').textContent = '';
  $('unsure').hidden = true;
  if (state.model && state.model.classes) showProbabilities(new Array(state.model.classes.length).fill(0), -1);
  $('draw-error').hidden = true;
  $('latency').textContent = '';
  $('seen').getContext('2d').clearRect(0, 0, 28, 28);
}

/** Sends an image to the network and shows what came back; `started` is when the user finished. */
async function read(blob, started) {
  const seq = ++state.seq;
  state.lastImage = blob;
  const error = $('draw-error');
  try {
    const sent = performance.now();
    const a = await predict(blob);
    if (seq !== state.seq) return; // a newer stroke is on its way
    const answered = performance.now();
    error.hidden = true;
    showAnswer(a);
    const shown = performance.now();
    requestAnimationFrame(() => {
      const ms = performance.now() - started;
      // Where the time went: the PNG made from the canvas, the request (the server's part included), drawing the answer.
      $('latency').dataset.phases = JSON.stringify({ png: +(sent - started).toFixed(1), request: +(answered - sent).toFixed(1),
        render: +(shown - answered).toFixed(1), paint: +(performance.now() - shown).toFixed(1) });
      const latency = $('latency');
      latency.textContent = `answered ${Math.round(ms)} ms after the stroke ended (the server took ${a.server_ms} ms)`;
      latency.dataset.ms = ms.toFixed(1);
      latency.dataset.serverMs = String(a.server_ms);
      const out = $('prediction');
      out.dataset.seq = String(Number(out.dataset.seq) + 1);
    });
  } catch (e) {
    if (seq !== state.seq) return;
    error.textContent = e.message;
    error.hidden = false;
  }
}

function showAnswer(a) {
  state.seen = a.seen;
  const names = state.model.classes;
  // Like lenet predict, the server reads every digit in the picture; the panels follow the first.
  const several = a.digits.length > 1;
  $('prediction').textContent = several ? a.digits.join('') : names[a.digit];
  $('confidence').textContent = several
    ? `${a.digits.length} digits found; the panels below follow the first, ${names[a.digit]} (${(100 * a.probabilities[a.digit]).toFixed(1)}% sure)`
    : `${(100 * a.probabilities[a.digit]).toFixed(1)}% sure`;
  const unsure = $('unsure');
  unsure.hidden = !a.unsure;
  unsure.textContent = a.unsure ? `Unsure, as lenet predict would say: ${a.unsure}.` : '';
  showProbabilities(a.probabilities, a.digit);
  showSeen(a.seen);
  $('seen-note').textContent = a.as_is
    ? 'Already 28\u00d728 and MNIST-like: used as it is.'
    : `Preprocessed as MNIST was made${a.inverted ? ' (inverted: dark ink on light paper became white on black)' : ''}; the network gets each pixel / 255.`;
  layers.render(a.stages, a.seen.map((v) => v / 255));
  if (state.selection) explain(state.selection.stage, state.selection.index, layers.valueAt(state.selection.stage, state.selection.index), state.selection.title);
}

async function explain(stage, index, shown, title) {
  if (!state.seen) return;
  state.selection = { stage, index, title };
  try {
    const a = await postJson('/api/explain', { pixels: state.seen, stage, index });
    renderExplanation($('arithmetic'), a, { shown, title });
    layers.showWindow(a.explanation.input_stage, a.explanation);
  } catch (e) {
    $('arithmetic').textContent = e.message;
  }
}

const layers = new LayersView($('layers'), (stage, index, shown, title) => explain(stage, index, shown, title));
const mistakes = new MistakesView($('mistakes'), async (blob, m) => {
  const started = performance.now();
  pad.show(await createImageBitmap(blob), { invert: true });
  $('draw-panel').scrollIntoView({ block: 'start' });
  read(blob, started);
});
const pad = new DrawingPad($('draw'), (blob, lifted) => read(blob, lifted));

$('clear').addEventListener('click', () => {
  pad.clear();
  state.lastImage = null;
  clearAnswer();
});

async function readFile(file) {
  if (!file) return;
  const started = performance.now();
  try {
    pad.show(await createImageBitmap(file));
  } catch (e) {
    pad.clear(); // the browser cannot show it; the server may still read it, or say why not
  }
  read(file, started);
}
$('file').addEventListener('change', (e) => readFile(e.target.files[0]));
// A file dropped anywhere on the page is read (and never opened in place of the page).
const zone = $('drop-zone');
document.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('dragging'); });
document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) zone.classList.remove('dragging'); });
document.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('dragging');
  if (e.dataTransfer.files.length) {
    $('draw-panel').scrollIntoView({ block: 'start' });
    readFile(e.dataTransfer.files[0]);
  }
});

const runs = new RunsView((info) => {
  showModel(info);
  if (state.lastImage) read(state.lastImage, performance.now()); // the same picture, read by the new model
});
const playground = new Playground();

async function start() {
  showModel(await getJson('/api/model'));
  await Promise.all([runs.start(), playground.examples()]);
  document.body.dataset.ready = 'true';
}
start().catch((e) => {
  $('model-line').textContent = 'The page could not start: ' + e.message;
});
