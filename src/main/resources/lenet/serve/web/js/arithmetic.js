// Panel 3 (and the playground's arithmetic): one cell of a conv, pooling or dense layer, as the
// reference engine computed it. Every number shown is the engine's own; each grid cell carries
// its full value in data-value (and its title) for anyone who wants more digits.

import { css, extent, format, textOn } from './colours.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function valued(tag, cls, v, digits, testid) {
  const e = el(tag, cls, format(v, digits));
  e.dataset.value = String(v);
  if (testid) e.setAttribute('data-testid', testid);
  return e;
}

/** A small table of numbers, coloured on its own symmetric scale; padding cells hatched. */
function grid(values, { padding = null, mark = null, compact = false, digits = 2 } = {}) {
  const t = el('table', 'grid' + (compact ? ' compact' : ''));
  const m = extent(values.flat().filter((v) => typeof v === 'number'));
  values.forEach((row, i) => {
    const tr = el('tr');
    row.forEach((v, j) => {
      const td = el('td');
      const pad = padding && padding[i][j];
      if (pad) {
        td.className = 'pad';
        td.textContent = compact ? '' : (typeof v === 'number' ? format(v, 0) : format(v));
        td.title = 'zero padding: outside the input';
      } else {
        td.textContent = compact ? '' : format(v, digits);
        td.style.background = typeof v === 'number' ? css(v, m) : '#fff';
        td.style.color = typeof v === 'number' ? textOn(v, m) : '#111';
        td.title = String(v);
      }
      if (mark && mark[0] === i && mark[1] === j) td.classList.add('max');
      td.dataset.value = String(v);
      tr.append(td);
    });
    t.append(tr);
  });
  return t;
}

function term(node, caption) {
  const box = el('div');
  box.append(node, el('div', 'caption', caption));
  return box;
}

function op(symbol) {
  return el('span', 'op', symbol);
}

function line(parent, ...parts) {
  const p = el('div');
  for (const part of parts) p.append(typeof part === 'string' ? document.createTextNode(part) : part);
  parent.append(p);
  return p;
}

/** The window's place in the layer's input, in words. */
function where(e, rows, cols, inputStage) {
  const last = (a, n) => a + n - 1;
  return `reads rows ${e.top}\u2013${last(e.top, rows)} and columns ${e.left}\u2013${last(e.left, cols)} of ${inputStage}`
    + (e.top < 0 || e.left < 0 ? ' (negative positions, and those past the edge, are padding)' : '');
}

/** The steps after the layer (batch norm, activation) and the final check against the map. */
function steps(eq, answer, shown) {
  for (const s of answer.explanation.then) {
    const op = s.operation.toLowerCase();
    const name = op.startsWith('sigmoid') ? 'sigmoid' : op.startsWith('relu') ? 'relu' : s.operation;
    const formula = name === 'sigmoid' ? ' = 1 / (1 + e^\u2212x)' : name === 'relu' ? ' = max(0, x)' : '';
    line(eq, `${s.stage}: ${name}(`, valued('span', '', s.input, 6), `)${formula} = `, valued('span', 'v', s.output, 6, 'explain-step'));
  }
  if (answer.final_as_traced === undefined) return;
  const f = line(eq, 'as float32, what the next layer reads: ', valued('span', 'v', answer.final_as_traced, 6, 'explain-final'));
  if (shown !== null && shown !== undefined) {
    f.append(document.createTextNode('  the map shows '), valued('span', '', shown, 6, 'cell-value'));
    const same = format(shown, 6) === format(answer.final_as_traced, 6);
    f.append(el('span', 'ok', same ? '  \u2713 the same' : '  \u2717 differs'));
  }
}

export function renderExplanation(root, answer, { shown = null, title = null } = {}) {
  root.textContent = '';
  const e = answer.explanation;
  const compactAbove = 2; // channels: more than this are drawn as colours only (hover for the numbers)
  if (e.kind === 'conv') {
    const rows = e.windows[0].input.length, cols = e.windows[0].input[0].length;
    root.append(el('p', 'expl-head', `${title || e.stage}: output channel ${e.channel}, row ${e.row}, column ${e.col}`));
    root.append(el('p', 'expl-sub', `The ${rows}\u00d7${cols} window ${where(e, rows, cols, e.input_stage)}, times kernel ${e.channel}`
      + (e.windows.length > 1 ? `'s slice for each of the ${e.windows.length} input channels` : '') + ', element by element.'));
    const compact = e.windows.length > compactAbove;
    let count = 0;
    for (const w of e.windows) {
      const box = el('div', 'channel');
      if (e.windows.length > 1) box.append(el('div', 'chan-label', `input channel ${w.channel}`));
      const terms = el('div', 'terms');
      let s = 0;
      for (const row of w.products) for (const v of row) s += v;
      terms.append(term(grid(w.input, { padding: w.padding, compact }), 'window'), op('\u00d7'),
        term(grid(w.kernel, { compact }), 'kernel'), op('='), term(grid(w.products, { compact }), 'products'));
      if (e.windows.length > 1) terms.append(el('span', 'small muted', `\u03a3 ${format(s, 4)}`));
      box.append(terms);
      root.append(box);
      count += rows * cols;
    }
    const eq = el('div', 'equation');
    line(eq, `sum of the ${count} products = `, valued('span', 'v', e.sum, 6, 'explain-sum'));
    line(eq, '+ bias ', valued('span', 'v', e.bias, 6, 'explain-bias'), ' = ', valued('span', 'v', e.value, 6, 'explain-value'),
      ` (${e.stage}'s output, before the activation)`);
    steps(eq, answer, shown);
    root.append(eq);
  } else if (e.kind === 'max_pool' || e.kind === 'avg_pool') {
    const rows = e.window.length, cols = e.window[0].length;
    root.append(el('p', 'expl-head', `${title || e.stage}: channel ${e.channel}, row ${e.row}, column ${e.col}`));
    root.append(el('p', 'expl-sub', `The ${rows}\u00d7${cols} window ${where(e, rows, cols, e.input_stage)}, channel ${e.channel}.`));
    const mark = e.kind === 'max_pool' ? [e.max_row, e.max_col] : null;
    root.append(term(grid(e.window, { padding: e.padding, mark, digits: 4 }), 'window'));
    const eq = el('div', 'equation');
    if (e.kind === 'max_pool') {
      line(eq, 'the largest value of the window = ', valued('span', 'v', e.value, 6, 'explain-value'));
    } else {
      line(eq, 'sum of the window = ', valued('span', 'v', e.sum, 6, 'explain-sum'));
      line(eq, `\u00f7 ${e.divisor} (the whole window, padding included) = `, valued('span', 'v', e.value, 6, 'explain-value'));
    }
    steps(eq, answer, shown);
    root.append(eq);
  } else if (e.kind === 'dense') {
    const top = e.contributions.slice(0, 10);
    const n = e.contributions.length;
    root.append(el('p', 'expl-head', `${title || e.stage}: unit ${e.unit}`));
    root.append(el('p', 'expl-sub', `bias + the sum over all ${n} inputs of weight \u00d7 input (${e.input_stage}). The ${top.length} largest contributions:`));
    const t = el('table', 'contrib');
    const head = el('tr');
    for (const h of ['input', 'x', 'weight', 'weight \u00d7 x']) head.append(el('th', '', h));
    t.append(head);
    let shownSum = 0;
    for (const c of top) {
      const tr = el('tr');
      tr.append(el('td', '', String(c.input)), valued('td', '', c.x, 4), valued('td', '', c.weight, 4), valued('td', '', c.product, 4));
      shownSum += c.product;
      t.append(tr);
    }
    root.append(t);
    const eq = el('div', 'equation');
    line(eq, `the other ${n - top.length} inputs add `, valued('span', '', e.sum - shownSum, 6));
    line(eq, `sum of all ${n} products = `, valued('span', 'v', e.sum, 6, 'explain-sum'));
    line(eq, '+ bias ', valued('span', 'v', e.bias, 6, 'explain-bias'), ' = ', valued('span', 'v', e.value, 6, 'explain-value'));
    steps(eq, answer, shown);
    root.append(eq);
  }
}
