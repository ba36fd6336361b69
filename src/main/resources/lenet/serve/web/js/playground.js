// Panel 4: the convolution arithmetic playground and d2l's worked examples. The page only
// draws; the output, its size and each cell's arithmetic come from POST /api/conv, which runs
// lenet's own conv and pooling layers.

import { getJson, postJson } from './api.js';
import { renderExplanation } from './arithmetic.js';
import { format } from './colours.js';

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** "0 1 2\n3 4 5" for an h x w grid counting up from `from`. */
function counting(h, w, from = 0) {
  const rows = [];
  for (let i = 0; i < h; i++) rows.push(Array.from({ length: w }, (_, j) => from + i * w + j).join(' '));
  return rows.join('\n');
}

function parseGrid(text, h, w, what) {
  const rows = text.trim().split('\n').map((r) => r.trim()).filter((r) => r.length).map((r) => r.split(/[\s,]+/).map(Number));
  if (rows.length !== h || rows.some((r) => r.length !== w)) throw new Error(`the ${what} needs ${h} rows of ${w} numbers`);
  if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) throw new Error(`the ${what} holds something that is not a number`);
  return rows;
}

function matrix(a) {
  return a.map((plane) => plane.map((row) => row.map((v) => format(v, Number.isInteger(v) ? 0 : 2)).join('  ')).join('\n')).join('\n\n');
}

export class Playground {
  constructor() {
    this.cell = 0;
    this.timer = null;
    this.seq = 0;
    for (const id of ['pg-h', 'pg-w', 'pg-kh', 'pg-kw']) $(id).addEventListener('change', () => this.resetValues());
    for (const id of ['pg-ph', 'pg-pw', 'pg-sh', 'pg-sw', 'pg-input', 'pg-kernel']) $(id).addEventListener('input', () => { this.cell = 0; this.run(); });
    $('pg-op').addEventListener('change', () => { this.cell = 0; this.showKernel(); this.run(); });
    $('pg-reset').addEventListener('click', () => this.resetValues());
    $('pg-prev').addEventListener('click', () => this.step(-1));
    $('pg-next').addEventListener('click', () => this.step(1));
    $('pg-play').addEventListener('click', () => this.play());
    this.load({ op: 'conv', h: 3, w: 3, kh: 2, kw: 2, ph: 0, pw: 0, sh: 1, sw: 1, input: counting(3, 3), kernel: '0 1\n2 3' });
  }

  num(id) {
    return Number($(id).value);
  }

  load(s) {
    $('pg-op').value = s.op;
    for (const [k, id] of [['h', 'pg-h'], ['w', 'pg-w'], ['kh', 'pg-kh'], ['kw', 'pg-kw'], ['ph', 'pg-ph'], ['pw', 'pg-pw'], ['sh', 'pg-sh'], ['sw', 'pg-sw']]) $(id).value = s[k];
    $('pg-input').value = s.input;
    $('pg-kernel').value = s.kernel || counting(s.kh, s.kw);
    this.cell = 0;
    this.showKernel();
    this.run();
  }

  showKernel() {
    $('pg-kernel-label').hidden = $('pg-op').value !== 'conv';
  }

  resetValues() {
    $('pg-input').value = counting(this.num('pg-h'), this.num('pg-w'));
    $('pg-kernel').value = counting(this.num('pg-kh'), this.num('pg-kw'));
    this.cell = 0;
    this.run();
  }

  request() {
    const op = $('pg-op').value;
    const h = this.num('pg-h'), w = this.num('pg-w'), kh = this.num('pg-kh'), kw = this.num('pg-kw');
    const q = {
      op,
      input: [parseGrid($('pg-input').value, h, w, 'input')],
      stride: [this.num('pg-sh'), this.num('pg-sw')],
      padding: [this.num('pg-ph'), this.num('pg-pw')],
    };
    if (op === 'conv') q.weight = [[parseGrid($('pg-kernel').value, kh, kw, 'kernel')]];
    else q.kernel = [kh, kw];
    return q;
  }

  async run() {
    const seq = ++this.seq;
    const error = $('pg-error');
    let q;
    try {
      q = this.request();
      // The output's shape first (no cell), then the chosen cell's arithmetic.
      const shape = await postJson('/api/conv', q);
      const [, oh, ow] = shape.output_shape;
      this.cells = oh * ow;
      this.cell = ((this.cell % this.cells) + this.cells) % this.cells;
      q.cell = [0, Math.floor(this.cell / ow), this.cell % ow];
      const a = await postJson('/api/conv', q);
      if (seq !== this.seq) return;
      error.hidden = true;
      this.render(q, a);
    } catch (e) {
      if (seq !== this.seq) return;
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  render(q, a) {
    const s = a.sizes;
    const sizes = $('pg-sizes');
    sizes.textContent = '';
    for (const [axis, v] of [['height', s.height], ['width', s.width]]) {
      sizes.append(el('div', '', `${axis}: \u230a(${v.n} + 2\u00d7${v.padding} \u2212 ${v.kernel}) / ${v.stride}\u230b + 1 = ${v.output}`));
    }
    const [, oh, ow] = a.output_shape;
    const [, i, j] = q.cell;
    $('pg-cell').textContent = `output cell row ${i}, column ${j} (${this.cell + 1} of ${oh * ow})`;
    this.drawInput(q, i, j);
    this.drawOutput(a.output[0], i, j);
    const box = $('pg-arithmetic');
    renderExplanation(box, { explanation: a.explanation }, { title: q.op === 'conv' ? 'cross-correlation' : q.op + ' pooling' });
    box.dataset.output = JSON.stringify(a.output);
  }

  /** The input with its padding (hatched), the window of the current cell outlined. */
  drawInput(q, i, j) {
    const x = q.input[0];
    const [ph, pw] = q.padding, [sh, sw] = q.stride;
    const kh = q.weight ? q.weight[0][0].length : q.kernel[0], kw = q.weight ? q.weight[0][0][0].length : q.kernel[1];
    const H = x.length + 2 * ph, W = x[0].length + 2 * pw;
    const c = Math.max(18, Math.min(34, Math.floor(340 / Math.max(H, W))));
    const canvas = $('pg-in-canvas');
    canvas.width = W * c + 2;
    canvas.height = H * c + 2;
    const ctx = canvas.getContext('2d');
    ctx.font = `${Math.round(c * 0.38)}px ui-monospace, monospace`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < H; r++) {
      for (let k = 0; k < W; k++) {
        const inside = r >= ph && r < H - ph && k >= pw && k < W - pw;
        ctx.fillStyle = inside ? '#fff' : '#eceef1';
        ctx.fillRect(k * c + 1, r * c + 1, c, c);
        ctx.strokeStyle = '#d1d5db';
        ctx.setLineDash(inside ? [] : [3, 2]);
        ctx.strokeRect(k * c + 1.5, r * c + 1.5, c - 1, c - 1);
        ctx.fillStyle = inside ? '#111' : '#9ca3af';
        ctx.fillText(inside ? format(x[r - ph][k - pw], Number.isInteger(x[r - ph][k - pw]) ? 0 : 1) : '0', k * c + 1 + c / 2, r * c + 1 + c / 2);
      }
    }
    ctx.setLineDash([]);
    ctx.strokeStyle = '#c2410c';
    ctx.lineWidth = 3;
    ctx.strokeRect(j * sw * c + 2, i * sh * c + 2, kw * c - 2, kh * c - 2);
    ctx.lineWidth = 1;
  }

  drawOutput(y, i, j) {
    const c = 34;
    const canvas = $('pg-out-canvas');
    canvas.width = y[0].length * c + 2;
    canvas.height = y.length * c + 2;
    const ctx = canvas.getContext('2d');
    ctx.font = '12px ui-monospace, monospace';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    y.forEach((row, r) => row.forEach((v, k) => {
      ctx.fillStyle = r === i && k === j ? '#ffedd5' : '#fff';
      ctx.fillRect(k * c + 1, r * c + 1, c, c);
      ctx.strokeStyle = r === i && k === j ? '#c2410c' : '#d1d5db';
      ctx.lineWidth = r === i && k === j ? 2 : 1;
      ctx.strokeRect(k * c + 1.5, r * c + 1.5, c - 1, c - 1);
      ctx.fillStyle = '#111';
      ctx.fillText(format(v, Number.isInteger(v) ? 0 : 2), k * c + 1 + c / 2, r * c + 1 + c / 2);
    }));
    ctx.lineWidth = 1;
  }

  step(d) {
    this.cell += d;
    this.run();
  }

  play() {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      $('pg-play').textContent = 'Play';
      return;
    }
    $('pg-play').textContent = 'Pause';
    this.timer = setInterval(() => this.step(1), 800);
  }

  async examples() {
    const root = $('examples');
    const { examples } = await getJson('/api/conv/examples');
    const t = el('table', 'examples');
    const head = el('tr');
    for (const h of ['', 'example', 'lenet computes', 'd2l\u2019s answer', '']) head.append(el('th', '', h));
    t.append(head);
    for (const e of examples) {
      const tr = el('tr');
      tr.setAttribute('data-testid', 'example-' + e.id);
      const what = el('td');
      what.append(el('strong', '', e.title), el('div', 'small muted', e.what));
      const ours = el('td');
      ours.append(el('pre', 'matrix', matrix(e.output)), el('div', 'small muted', 'shape ' + e.output_shape.join('\u00d7')));
      const book = el('td');
      book.append(e.book ? el('pre', 'matrix', matrix(e.book)) : el('div', 'small', 'shape ' + e.book_shape.join('\u00d7') + ' (the book prints only the shape)'));
      const verdict = el('span', e.same ? 'same' : 'differs', e.same ? '\u2713 same' : '\u2717 differs');
      verdict.setAttribute('data-testid', 'verdict-' + e.id);
      book.append(verdict);
      const tryIt = el('td');
      const r = e.request;
      if (r.input.length === 1 && (!r.weight || (r.weight.length === 1 && r.weight[0].length === 1)) && r.input[0].length <= 12 && r.input[0][0].length <= 12) {
        const b = el('button', '', 'try it');
        b.addEventListener('click', () => {
          const kh = r.weight ? r.weight[0][0].length : r.kernel[0], kw = r.weight ? r.weight[0][0][0].length : r.kernel[1];
          const stride = r.stride || (r.op === 'conv' ? [1, 1] : [kh, kw]);
          const padding = r.padding || [0, 0];
          this.load({
            op: r.op, h: r.input[0].length, w: r.input[0][0].length, kh, kw, ph: padding[0], pw: padding[1], sh: stride[0], sw: stride[1],
            input: r.input[0].map((row) => row.join(' ')).join('\n'),
            kernel: r.weight ? r.weight[0][0].map((row) => row.join(' ')).join('\n') : null,
          });
          $('playground-panel').scrollIntoView({ block: 'start' });
        });
        tryIt.append(b);
      }
      tr.append(el('td', 'small muted', e.section), what, ours, book, tryIt);
      t.append(tr);
    }
    root.textContent = '';
    root.append(t);
  }
}
