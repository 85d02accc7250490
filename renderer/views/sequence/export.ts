// Saving the diagram: SVG and Mermaid as text files, PNG painted on a canvas from the same scene
// (the app's CSP allows no blob: or data: images, so the SVG cannot go through an <img>).
// Canvases have a size limit (Chromium: 32767 px a side, and far less memory on a big scale), so
// a long diagram is saved as several PNG pages, each at most PNG_PAGE px tall.
import type { Scene, Shape } from '../../../shared/diagram';

export const PNG_PAGE = 16000;

/** Hands a file to the browser's download (the desktop shell shows its save dialog). */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(name: string, text: string, type: string): void {
  download(name, new Blob([text], { type }));
}

function paintShape(c: CanvasRenderingContext2D, sh: Shape, font: string): void {
  if (sh.kind === 'text') {
    c.font = `${sh.bold ? '700 ' : ''}${sh.size}px ${font}`;
    c.textAlign = sh.anchor === 'middle' ? 'center' : sh.anchor === 'end' ? 'right' : 'left';
    c.textBaseline = 'alphabetic';
    if (sh.halo) {
      c.lineWidth = 6;
      c.strokeStyle = sh.halo;
      c.strokeText(sh.text, sh.x, sh.y);
    }
    c.fillStyle = sh.fill;
    c.fillText(sh.text, sh.x, sh.y);
    return;
  }
  c.setLineDash(sh.dash ?? []);
  const path = new Path2D();
  if (sh.kind === 'rect') {
    if (sh.r) path.roundRect(sh.x, sh.y, sh.w, sh.h, sh.r);
    else path.rect(sh.x, sh.y, sh.w, sh.h);
  } else if (sh.kind === 'line') {
    path.moveTo(sh.x1, sh.y1);
    path.lineTo(sh.x2, sh.y2);
  } else path.addPath(new Path2D(sh.d));
  if (sh.fill) {
    c.fillStyle = sh.fill;
    c.fill(path);
  }
  if (sh.stroke) {
    c.strokeStyle = sh.stroke;
    c.lineWidth = sh.width ?? 1;
    c.stroke(path);
  }
}

/** The scene as PNG pages (top to bottom), at `scale` device pixels per CSS pixel. */
export async function scenePng(scene: Scene, scale = 1): Promise<Blob[]> {
  const pageH = Math.floor(PNG_PAGE / scale);
  const pages: Blob[] = [];
  for (let y0 = 0; y0 < scene.height; y0 += pageH) {
    const h = Math.min(pageH, scene.height - y0);
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(scene.width * scale);
    canvas.height = Math.ceil(h * scale);
    const c = canvas.getContext('2d');
    if (!c) throw new Error('This browser cannot draw on a canvas, so no PNG can be made.');
    c.scale(scale, scale);
    c.translate(0, -y0);
    c.fillStyle = scene.background;
    c.fillRect(0, y0, scene.width, h);
    for (const sh of scene.shapes) paintShape(c, sh, scene.font);
    const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
    if (!blob) throw new Error('The canvas could not be saved as PNG.');
    pages.push(blob);
  }
  return pages;
}
