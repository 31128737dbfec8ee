// Canvas setup shared by the drawings: sharp on high-density screens, cleared, ready for text.

/**
 * Sizes `canvas` to its CSS width and `height` CSS pixels at the screen's pixel density, clears
 * it and returns its 2D context (drawing in CSS pixels) and width.
 */
export function prepareCanvas(canvas, height, font) {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  return { ctx, width };
}
