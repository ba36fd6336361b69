// The drawing canvas: pointer events (mouse, touch and pen alike), dark ink on white paper.
// When a stroke ends, the canvas goes to onStroke as a PNG blob, with the time the pen was lifted.

const INK = '#111';
const PAPER = '#fff';

export class DrawingPad {
  constructor(canvas, onStroke) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onStroke = onStroke;
    this.pointer = null;    // the id of the pointer drawing now
    this.last = null;       // its last position, in canvas pixels
    this.strokes = 0;
    this.showingImage = false; // a picture put here (a file, a mistake): the next stroke starts on clean paper
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
  }

  clear() {
    this.ctx.fillStyle = PAPER;
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.strokes = 0;
    this.showingImage = false;
  }

  /** The pointer's position in canvas pixels (the canvas may be shown at another size). */
  at(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (this.canvas.width / r.width), (e.clientY - r.top) * (this.canvas.height / r.height)];
  }

  brush() {
    const c = this.ctx;
    c.strokeStyle = INK;
    c.fillStyle = INK;
    c.lineWidth = this.canvas.width / 16; // about MNIST's pen: 1.75 of 28 pixels
    c.lineCap = 'round';
    c.lineJoin = 'round';
  }

  down(e) {
    if (this.pointer !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    if (this.showingImage) this.clear();
    this.pointer = e.pointerId;
    this.canvas.setPointerCapture(e.pointerId);
    this.brush();
    this.last = this.at(e);
    const [x, y] = this.last;
    this.ctx.beginPath();
    this.ctx.arc(x, y, this.ctx.lineWidth / 2, 0, 2 * Math.PI);
    this.ctx.fill();
  }

  move(e) {
    if (e.pointerId !== this.pointer) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    this.brush();
    this.ctx.beginPath();
    this.ctx.moveTo(...this.last);
    for (const ev of events.length ? events : [e]) {
      this.last = this.at(ev);
      this.ctx.lineTo(...this.last);
    }
    this.ctx.stroke();
  }

  up(e) {
    if (e.pointerId !== this.pointer) return;
    const lifted = performance.now();
    this.pointer = null;
    this.strokes++;
    this.onStroke(this.png(), lifted);
  }

  /**
   * The canvas as a PNG blob, encoded now. (canvas.toBlob encodes when the browser is idle, which
   * while pointer events keep coming was measured at up to a second.)
   */
  png() {
    const data = atob(this.canvas.toDataURL('image/png').split(',')[1]);
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i);
    return new Blob([bytes], { type: 'image/png' });
  }

  /** Shows an image (a dropped file, a test image) on the paper, fitted and centred. */
  show(image, { invert = false } = {}) {
    this.clear();
    const w = this.canvas.width, h = this.canvas.height;
    const s = Math.min(w / image.width, h / image.height);
    const c = this.ctx;
    c.save();
    c.imageSmoothingEnabled = image.width > 64;
    if (invert) c.filter = 'invert(1)';
    c.drawImage(image, (w - image.width * s) / 2, (h - image.height * s) / 2, image.width * s, image.height * s);
    c.restore();
    this.showingImage = true;
  }
}
