// Panel 2: every stage of the network for one input. A conv or dense layer is shown with the
// elementwise layers after it (batch norm, activation) folded in, as "conv1 + sigmoid": what the
// next layer reads. Clicking a cell asks for the arithmetic of the conv / pool / dense layer.

import { css, extent, minimum, legend, format, rgb } from './colours.js';

/** How many screen pixels one cell of a map of this side gets. */
function cellSize(side) {
  if (side >= 24) return 4;
  if (side >= 12) return 7;
  if (side >= 8) return 9;
  return 16;
}

/**
 * The groups the panel shows, from the stages of /api/predict: the input, then each conv, pooling
 * and dense layer with the elementwise layers that follow it; flatten is a note.
 */
export function groups(stages, input) {
  const out = [{ title: 'input', kind: 'input', shape: [1, 28, 28], values: input, layer: 'pixel / 255', explain: null }];
  for (let k = 0; k < stages.length; k++) {
    const s = stages[k];
    if (s.kind === 'flatten') {
      out.push({ title: s.name, kind: 'note', shape: s.shape, layer: s.layer, text: 'the 16 maps laid out as one vector of ' + s.shape[0] + ' numbers, channel by channel, row by row (PyTorch\u2019s order)' });
      continue;
    }
    if (!s.explained) continue; // an elementwise layer: shown folded into the layer before it
    let last = s;
    const folded = [];
    while (k + 1 < stages.length && !stages[k + 1].explained && stages[k + 1].kind !== 'flatten') {
      last = stages[++k];
      folded.push(last.kind.replace('_', ' '));
    }
    const logits = k === stages.length - 1 && s.kind === 'dense';
    out.push({
      title: s.name + (folded.length ? ' + ' + folded.join(' + ') : '') + (logits ? ' (logits)' : ''),
      kind: s.kind, shape: last.shape, values: last.values, layer: s.layer, explain: s.name, output: last.name,
    });
  }
  return out;
}

export class LayersView {
  constructor(root, onCell) {
    this.root = root;
    this.onCell = onCell;
    this.canvases = new Map(); // "stage/channel" -> {canvas, group, channel}
    this.selected = null;      // {group, index}
  }

  render(stages, input) {
    this.root.textContent = '';
    this.canvases.clear();
    this.groups = groups(stages, input);
    for (const g of this.groups) this.root.append(this.stageBox(g));
    if (this.selected) this.highlight(this.selected.explain, this.selected.index);
  }

  stageBox(g) {
    const box = document.createElement('div');
    box.className = 'stage';
    box.dataset.stage = g.explain || g.kind;
    const head = document.createElement('div');
    head.className = 'stage-head';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = g.title;
    const shape = document.createElement('span');
    shape.className = 'shape';
    shape.textContent = g.shape.join(' \u00d7 ');
    const layer = document.createElement('span');
    layer.className = 'layer';
    layer.textContent = g.layer;
    const hover = document.createElement('span');
    hover.className = 'hover';
    head.append(name, shape, layer, hover);
    box.append(head);
    if (g.kind === 'note') {
      const p = document.createElement('p');
      p.className = 'note';
      p.textContent = g.text;
      box.append(p);
      return box;
    }
    const m = extent(g.values);
    const signed = minimum(g.values) < 0;
    if (g.shape.length === 3) box.append(this.maps(g, m, hover));
    else box.append(this.bars(g, m, hover));
    box.append(legend(m, signed));
    return box;
  }

  /** One canvas per channel, one square per cell. */
  maps(g, m, hover) {
    const [C, H, W] = g.shape;
    const px = cellSize(Math.max(H, W));
    const wrap = document.createElement('div');
    wrap.className = 'maps';
    for (let c = 0; c < C; c++) {
      const fig = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = W * px;
      canvas.height = H * px;
      canvas.dataset.testid = `map-${g.explain || g.kind}-${c}`;
      canvas.setAttribute('data-testid', canvas.dataset.testid);
      canvas.dataset.cell = String(px);
      const entry = { canvas, g, c, px, m };
      this.canvases.set(`${g.explain || g.kind}/${c}`, entry);
      this.paint(entry);
      const at = (e) => {
        const r = canvas.getBoundingClientRect();
        const j = Math.min(W - 1, Math.max(0, Math.floor((e.clientX - r.left) / r.width * W)));
        const i = Math.min(H - 1, Math.max(0, Math.floor((e.clientY - r.top) / r.height * H)));
        return [i, j];
      };
      canvas.addEventListener('mousemove', (e) => {
        const [i, j] = at(e);
        hover.textContent = `channel ${c}, row ${i}, column ${j}: ${format(g.values[(c * H + i) * W + j])}`;
      });
      canvas.addEventListener('mouseleave', () => { hover.textContent = ''; });
      if (g.explain) {
        canvas.addEventListener('click', (e) => {
          const [i, j] = at(e);
          this.select(g, [c, i, j], g.values[(c * H + i) * W + j]);
        });
      }
      const cap = document.createElement('figcaption');
      cap.textContent = C > 1 ? `${c}` : '';
      fig.append(canvas, cap);
      wrap.append(fig);
    }
    return wrap;
  }

  paint(entry, box = null) {
    const { canvas, g, c, px, m } = entry;
    const [, H, W] = g.shape;
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(W, H);
    for (let i = 0; i < H * W; i++) {
      const [r, gg, b] = rgb(g.values[c * H * W + i], m);
      img.data.set([r, gg, b, 255], 4 * i);
    }
    const small = document.createElement('canvas');
    small.width = W;
    small.height = H;
    small.getContext('2d').putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(small, 0, 0, W * px, H * px);
    if (box) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = box.colour;
      const [top, left, h, w] = box.rect;
      ctx.strokeRect(left * px + 1, top * px + 1, w * px - 2, h * px - 2);
    }
  }

  /** A bar per unit, up for positive and down for negative values, coloured on the layer's scale. */
  bars(g, m, hover) {
    const n = g.shape[0];
    const bw = n <= 10 ? 28 : n <= 84 ? 6 : 4;
    const canvas = document.createElement('canvas');
    canvas.className = 'bars';
    canvas.width = n * bw;
    canvas.height = n <= 10 ? 90 : 64;
    canvas.setAttribute('data-testid', `bars-${g.explain}`);
    const entry = { canvas, g, bw, m };
    this.canvases.set(`${g.explain}/bars`, entry);
    this.paintBars(entry, -1);
    const at = (e) => {
      const r = canvas.getBoundingClientRect();
      return Math.min(n - 1, Math.max(0, Math.floor((e.clientX - r.left) / r.width * n)));
    };
    canvas.addEventListener('mousemove', (e) => {
      const u = at(e);
      hover.textContent = `unit ${u}: ${format(g.values[u])}`;
    });
    canvas.addEventListener('mouseleave', () => { hover.textContent = ''; });
    canvas.addEventListener('click', (e) => {
      const u = at(e);
      this.select(g, [u], g.values[u]);
    });
    return canvas;
  }

  paintBars(entry, chosen) {
    const { canvas, g, bw, m } = entry;
    const ctx = canvas.getContext('2d');
    const n = g.shape[0];
    const mid = canvas.height / 2, half = canvas.height / 2 - (n <= 10 ? 14 : 2);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#d1d5db';
    ctx.fillRect(0, mid, canvas.width, 1);
    for (let u = 0; u < n; u++) {
      const v = g.values[u];
      const h = Math.max(1, Math.abs(v) / m * half);
      ctx.fillStyle = u === chosen ? '#111' : css(v, m);
      ctx.fillRect(u * bw + 1, v >= 0 ? mid - h : mid + 1, bw - 2, h);
      if (n <= 10) {
        ctx.fillStyle = '#6b7280';
        ctx.font = '11px system-ui, sans-serif';
        ctx.textAlign = 'center';
        ctx.fillText(String(u), u * bw + bw / 2, canvas.height - 2);
      }
    }
  }

  select(g, index, shown) {
    this.selected = { explain: g.explain, index, shown, title: g.title };
    this.highlight(g.explain, index);
    this.onCell(g.explain, index, shown, g.title);
  }

  /** Outlines the chosen cell (and repaints the rest plain). */
  highlight(stage, index) {
    for (const [key, entry] of this.canvases) {
      if (entry.bw) {
        this.paintBars(entry, key === `${stage}/bars` ? index[0] : -1);
      } else {
        const mine = key === `${stage}/${index[0]}` && index.length === 3;
        this.paint(entry, mine ? { rect: [index[1], index[2], 1, 1], colour: '#111' } : null);
      }
    }
  }

  /** The value the panel shows for cell `index` of the layer explained as `stage`. */
  valueAt(stage, index) {
    const g = (this.groups || []).find((x) => x.explain === stage);
    if (!g) return null;
    if (index.length === 1) return g.values[index[0]];
    const [, H, W] = g.shape;
    return g.values[(index[0] * H + index[1]) * W + index[2]];
  }

  /** Marks the window an explained cell read, on the maps of the layer's input (every channel a conv reads). */
  showWindow(inputStage, explanation) {
    const e = explanation;
    if (e.kind === 'dense' || e.top === undefined) return;
    const rows = e.windows ? e.windows[0].input.length : e.window.length;
    const cols = e.windows ? e.windows[0].input[0].length : e.window[0].length;
    for (const [key, entry] of this.canvases) {
      if (entry.bw) continue;
      const [stage, c] = key.split('/');
      const isInput = (inputStage === 'input' && stage === 'input') || stage === this.displayed(inputStage);
      const reads = e.kind === 'conv' || Number(c) === e.channel;
      if (isInput && reads) this.paint(entry, { rect: [e.top, e.left, rows, cols], colour: '#c2410c' });
    }
  }

  /** The key under which the output of layer `name` is shown (the group that folds it in). */
  displayed(name) {
    for (const g of this.groups || []) if (g.output === name || g.explain === name) return g.explain;
    return name;
  }
}
