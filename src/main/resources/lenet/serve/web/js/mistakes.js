// Panel 6: the test images the model gets most confidently wrong. Scored (the whole test set,
// once per model) when the panel first comes into view; a click sends one through panels 1-3.

import { getJson } from './api.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class MistakesView {
  constructor(root, onPick) {
    this.root = root;
    this.onPick = onPick; // called with (blob, mistake)
    this.loaded = null;   // the model file the list is for
    this.model = null;
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.visible = true;
        this.load();
      }
    }).observe(root);
  }

  /** The page's model changed: a new list when the panel is (or comes) in view. */
  setModel(info) {
    this.model = info;
    if (this.visible) this.load();
  }

  async load() {
    if (!this.model || !this.model.file || this.loaded === this.model.file) return;
    this.loaded = this.model.file;
    this.root.textContent = '';
    this.root.append(el('p', 'muted', 'Scoring the test set\u2026'));
    try {
      const a = await getJson('/api/mistakes?limit=32');
      this.render(a);
    } catch (e) {
      this.loaded = null;
      this.root.textContent = '';
      this.root.append(el('p', 'error', e.message));
    }
  }

  render(a) {
    const names = this.model.classes;
    this.root.textContent = '';
    const acc = (100 * a.correct / a.count).toFixed(2);
    this.root.append(el('p', '', `The model reads ${a.correct.toLocaleString('en')} of the ${a.count.toLocaleString('en')} ${a.dataset} test images right (${acc}%), `
      + `${a.wrong} wrong. The ${a.mistakes.length} most confident mistakes (scored in ${a.seconds} s):`));
    const grid = el('div', 'mistake-grid');
    for (const m of a.mistakes) {
      const b = el('button', 'mistake');
      b.type = 'button';
      b.setAttribute('data-testid', 'mistake-' + m.index);
      b.dataset.predicted = String(m.predicted);
      b.title = `test image ${m.index}: labelled ${names[m.label]}, read as ${names[m.predicted]} (${(100 * m.confidence).toFixed(1)}%)`;
      const img = el('img');
      img.alt = `test image ${m.index}`;
      img.src = '/api/test-image?index=' + m.index;
      const cap = el('span', 'cap');
      cap.append(document.createTextNode(names[m.label] + ' \u2192 '), el('b', '', names[m.predicted]), document.createTextNode(` ${(100 * m.confidence).toFixed(0)}%`));
      b.append(img, cap);
      b.addEventListener('click', async () => {
        const r = await fetch(img.src);
        this.onPick(await r.blob(), m);
      });
      grid.append(b);
    }
    this.root.append(grid);
  }
}
