// The colour scale of the maps: blue for negative, white for zero, red for positive, one scale
// per layer, symmetric around zero so that white always means 0 (as report's filters.png).

const NEG = [33, 102, 172];
const POS = [178, 24, 43];

/** [r, g, b] of value v on a scale whose ends are -m and +m (m > 0). */
export function rgb(v, m) {
  if (!(m > 0) || !Number.isFinite(v)) return [255, 255, 255];
  const t = Math.max(-1, Math.min(1, v / m));
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  return [0, 1, 2].map((k) => Math.round(255 + (end[k] - 255) * a));
}

export function css(v, m) {
  const [r, g, b] = rgb(v, m);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Black or white text, whichever reads better on the colour of v. */
export function textOn(v, m) {
  return Math.abs(v) / m > 0.6 ? '#fff' : '#111';
}

/** The largest |value|: the ends of a layer's scale. */
export function extent(values) {
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m || 1;
}

/** The smallest value (to tell a layer of non-negative values, whose legend starts at 0). */
export function minimum(values) {
  let lo = Infinity;
  for (const v of values) if (Number.isFinite(v)) lo = Math.min(lo, v);
  return lo;
}

export function format(v, digits = 4) {
  if (typeof v === 'string') return v === '-Infinity' ? '\u2212\u221e' : v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v).replace('-', '\u2212'); // 19, not 19.0000
  const s = Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 1e-4) ? v.toExponential(2) : v.toFixed(digits);
  return s.replace('-', '\u2212');
}

/**
 * A legend: a gradient bar from -m (or 0 for a layer with no negative values) to +m, labelled,
 * saying what the colours of the layer mean.
 */
export function legend(m, signed) {
  const box = document.createElement('div');
  box.className = 'legend';
  const lo = document.createElement('span');
  lo.textContent = signed ? format(-m, 3) : '0';
  const bar = document.createElement('canvas');
  bar.width = 140;
  bar.height = 10;
  const ctx = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    const t = x / (bar.width - 1);
    const v = signed ? (2 * t - 1) * m : t * m;
    ctx.fillStyle = css(v, m);
    ctx.fillRect(x, 0, 1, bar.height);
  }
  const hi = document.createElement('span');
  hi.textContent = format(m, 3);
  const what = document.createElement('span');
  what.textContent = signed ? '(white is 0)' : '(white is 0; this layer has no negative values)';
  box.append(lo, bar, hi, what);
  return box;
}
