// A small line chart on a canvas: axes with round ticks, several series, solid or dashed.

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

function ticks(lo, hi, count) {
  const step = niceStep(hi - lo || 1, count);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.001 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
}

/**
 * Draws series [{label, colour, dash, points: [[x, y], ...], marker}] on canvas, x from 0 or 1 to
 * the largest x, y over the data (or yMin..yMax when given). An empty chart says so.
 */
export function lineChart(canvas, series, { yMin = null, yMax = null, xLabel = 'epoch', empty = 'no data yet' } = {}) {
  const dpr = window.devicePixelRatio || 1;
  const W = canvas.clientWidth || canvas.width, H = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(W * dpr);
  canvas.height = Math.round(H * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  ctx.font = '11px system-ui, sans-serif';
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (!pts.length) {
    ctx.fillStyle = '#9ca3af';
    ctx.textAlign = 'center';
    ctx.fillText(empty, W / 2, H / 2);
    return;
  }
  let x0 = 0, x1 = Math.max(1, ...pts.map((p) => p[0]));
  let y0 = yMin ?? Math.min(...pts.map((p) => p[1])), y1 = yMax ?? Math.max(...pts.map((p) => p[1]));
  if (y1 - y0 < 1e-12) { y0 -= 0.5 * (Math.abs(y0) || 1); y1 += 0.5 * (Math.abs(y1) || 1); }
  const pad = { l: 46, r: 10, t: 10, b: 30 };
  const X = (x) => pad.l + (x - x0) / (x1 - x0) * (W - pad.l - pad.r);
  const Y = (y) => H - pad.b - (y - y0) / (y1 - y0) * (H - pad.t - pad.b);
  ctx.strokeStyle = '#e5e7eb';
  ctx.fillStyle = '#6b7280';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks(y0, y1, 4)) {
    ctx.beginPath(); ctx.moveTo(pad.l, Y(v)); ctx.lineTo(W - pad.r, Y(v)); ctx.stroke();
    ctx.fillText(label(v), pad.l - 4, Y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of ticks(x0, x1, 6)) ctx.fillText(label(v), X(v), H - pad.b + 4);
  ctx.fillText(xLabel, (pad.l + W - pad.r) / 2, H - 13);
  ctx.strokeStyle = '#9ca3af';
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, H - pad.b); ctx.lineTo(W - pad.r, H - pad.b); ctx.stroke();
  for (const s of series) {
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (!p.length) continue;
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ? [5, 4] : []);
    ctx.beginPath();
    p.forEach(([x, y], k) => (k ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
    ctx.setLineDash([]);
    for (const [x, y] of p) { ctx.beginPath(); ctx.arc(X(x), Y(y), 2, 0, 2 * Math.PI); ctx.fill(); }
    if (s.marker) { // the epoch under way: a ring at the running value
      const [x, y] = s.marker;
      ctx.beginPath(); ctx.arc(X(x), Y(Math.min(y1, Math.max(y0, y))), 4, 0, 2 * Math.PI); ctx.stroke();
    }
  }
}
