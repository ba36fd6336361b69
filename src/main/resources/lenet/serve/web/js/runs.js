// Panel 5: the training runs, their curves laid over each other, the settings that differ, and
// live updates (server-sent events over the run folders' files) while a run trains.

import { getJson, postJson } from './api.js';
import { lineChart } from './chart.js';

const COLOURS = ['#c2410c', '#2563eb', '#15803d', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4b5563'];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function pct(v) {
  return v === null || v === undefined ? '\u2013' : (100 * v).toFixed(2) + '%';
}

export class RunsView {
  constructor(onModel) {
    this.onModel = onModel;  // called with the model info after "use"
    this.runs = [];
    this.details = new Map(); // name -> {config, metrics, progress}
    this.selected = new Set();
    this.colours = new Map();
    this.table = document.getElementById('runs');
    this.settings = document.getElementById('settings');
  }

  async start() {
    const answer = await getJson('/api/runs');
    document.getElementById('runs-root').textContent = answer.root;
    this.update(answer.runs);
    const first = this.runs.find((r) => r.in_use) || this.runs[0];
    if (first) await this.toggle(first.name, true);
    this.listen();
  }

  /** Server-sent events: the list when any run folder changes, and each changed run's details. */
  listen() {
    const live = document.getElementById('live');
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => { live.hidden = false; });
    source.addEventListener('error', () => { live.hidden = true; });
    source.addEventListener('runs', (e) => this.update(JSON.parse(e.data).runs));
    source.addEventListener('run', (e) => {
      const d = JSON.parse(e.data);
      this.details.set(d.name, d);
      if (this.selected.has(d.name)) this.draw();
    });
    this.source = source;
  }

  colour(name) {
    if (!this.colours.has(name)) this.colours.set(name, COLOURS[this.colours.size % COLOURS.length]);
    return this.colours.get(name);
  }

  update(runs) {
    this.runs = runs;
    for (const name of [...this.selected]) if (!runs.some((r) => r.name === name)) this.selected.delete(name);
    this.renderTable();
    this.draw();
  }

  async toggle(name, on) {
    if (on) {
      this.selected.add(name);
      if (!this.details.has(name)) this.details.set(name, await getJson('/api/runs/' + encodeURIComponent(name)));
    } else {
      this.selected.delete(name);
    }
    this.renderTable();
    this.draw();
  }

  renderTable() {
    this.table.textContent = '';
    if (!this.runs.length) {
      this.table.append(el('p', 'muted', 'No runs here yet. `lenet train` makes one; this table shows it as soon as it starts.'));
      return;
    }
    const t = el('table', 'runs');
    t.setAttribute('data-testid', 'runs-table');
    const head = el('tr');
    for (const h of ['', 'run', 'data set', 'network', 'recipe', 'epochs', 'best', 'last', 'status', '', 'model']) head.append(el('th', '', h));
    t.append(head);
    for (const r of this.runs) {
      const tr = el('tr', r.in_use ? 'in-use' : '');
      tr.setAttribute('data-testid', 'run-' + r.name);
      const box = el('input');
      box.type = 'checkbox';
      box.checked = this.selected.has(r.name);
      box.setAttribute('aria-label', 'show ' + r.name + ' in the charts');
      box.addEventListener('change', () => this.toggle(r.name, box.checked).catch((e) => this.fail(e)));
      const name = el('td');
      if (this.selected.has(r.name)) {
        const key = el('span', 'key');
        key.style.background = this.colour(r.name);
        name.append(key);
      }
      name.append(document.createTextNode(r.name));
      const tick = el('td');
      tick.append(box);
      const status = el('td');
      status.append(el('span', 'status ' + r.status, r.status));
      if (r.problem) status.title = r.problem;
      const progress = el('td', 'small');
      if (r.progress) {
        const p = r.progress;
        const bar = el('progress');
        bar.max = p.total;
        bar.value = p.images;
        progress.append(bar, document.createTextNode(` epoch ${p.epoch}: ${Math.round(100 * p.images / p.total)}%`));
        progress.setAttribute('data-testid', 'progress-' + r.name);
      }
      const use = el('td');
      if (r.checkpoints.length) {
        const pick = el('select');
        pick.setAttribute('aria-label', 'checkpoint of ' + r.name);
        for (const c of [...r.checkpoints].reverse()) pick.append(new Option(c, c));
        const button = el('button', '', r.in_use ? 'in use' : 'use');
        button.setAttribute('data-testid', 'use-' + r.name);
        button.addEventListener('click', async () => {
          try {
            const info = await postJson('/api/model', { run: r.name, checkpoint: pick.value });
            this.onModel(info);
            this.update((await getJson('/api/runs')).runs);
          } catch (e) {
            this.fail(e);
          }
        });
        use.append(pick, document.createTextNode(' '), button);
      }
      tr.append(tick, name, el('td', '', r.dataset || '\u2013'), el('td', '', r.network || '\u2013'), el('td', '', r.recipe || '\u2013'),
        el('td', 'num', r.epochs_planned ? `${r.epochs_done}/${r.epochs_planned}` : String(r.epochs_done)),
        el('td', 'num', pct(r.best_test_accuracy)), el('td', 'num', pct(r.last_test_accuracy)), status, progress, use);
      t.append(tr);
    }
    this.table.append(t);
  }

  fail(e) {
    const p = el('p', 'error', e.message);
    p.setAttribute('role', 'alert');
    this.table.append(p);
  }

  /** The three charts and the settings table, for the runs ticked. */
  draw() {
    const loss = [], acc = [], lr = [];
    for (const name of this.selected) {
      const d = this.details.get(name);
      if (!d) continue;
      const c = this.colour(name);
      const rows = d.metrics || [];
      const xs = (k) => rows.map((r) => [r.epoch, r[k]]);
      const p = d.progress || (this.runs.find((r) => r.name === name) || {}).progress;
      const at = p ? p.epoch - 1 + p.images / p.total : null;
      loss.push({ colour: c, points: xs('test_loss') }, { colour: c, dash: true, points: xs('train_loss'), marker: p && p.train_loss !== null ? [at, p.train_loss] : null });
      acc.push({ colour: c, points: xs('test_accuracy') }, { colour: c, dash: true, points: xs('train_accuracy'), marker: p ? [at, p.train_accuracy] : null });
      lr.push({ colour: c, points: xs('lr') });
    }
    const empty = this.selected.size ? 'no epoch finished yet' : 'tick a run to see its curves';
    lineChart(document.getElementById('chart-loss'), loss, { yMin: 0, empty });
    lineChart(document.getElementById('chart-accuracy'), acc, { empty });
    lineChart(document.getElementById('chart-lr'), lr, { yMin: 0, empty });
    this.renderSettings();
  }

  /** A table of the settings whose values differ between the runs ticked (all of them for one run). */
  renderSettings() {
    this.settings.textContent = '';
    const names = [...this.selected].filter((n) => this.details.get(n) && this.details.get(n).config);
    if (!names.length) return;
    const configs = names.map((n) => this.details.get(n).config);
    const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))].sort();
    const differ = names.length === 1 ? keys : keys.filter((k) => new Set(configs.map((c) => JSON.stringify(c[k]))).size > 1);
    this.settings.append(el('h3', '', names.length === 1 ? `Settings of ${names[0]}` : `Settings that differ (${differ.length} of ${keys.length})`));
    if (!differ.length) {
      this.settings.append(el('p', 'muted', 'The runs ticked have the same settings (seed included).'));
      return;
    }
    const t = el('table', 'settings');
    const head = el('tr');
    head.append(el('th', '', 'setting'));
    for (const n of names) head.append(el('th', '', n));
    t.append(head);
    for (const k of differ) {
      const tr = el('tr');
      tr.append(el('th', '', k));
      for (const c of configs) tr.append(el('td', '', c[k] === undefined ? '\u2013' : JSON.stringify(c[k])));
      t.append(tr);
    }
    this.settings.append(t);
  }
}
