// A scene (scene.ts) as one standalone SVG document: colours written in, no stylesheet, so the
// export opens anywhere (a browser, Inkscape, a slide) at any length.
import type { Diagram } from './layout';
import { diagramScene, type Scene, type SceneOptions, type Shape } from './scene';

export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();

function paint(sh: { fill?: string; stroke?: string; width?: number; dash?: number[] }): string {
  let a = ` fill="${sh.fill ?? 'none'}"`;
  if (sh.stroke) a += ` stroke="${sh.stroke}" stroke-width="${n(sh.width ?? 1)}"`;
  if (sh.dash) a += ` stroke-dasharray="${sh.dash.join(' ')}"`;
  return a;
}

function shapeSvg(sh: Shape): string {
  switch (sh.kind) {
    case 'rect':
      return `<rect x="${n(sh.x)}" y="${n(sh.y)}" width="${n(sh.w)}" height="${n(sh.h)}"${sh.r ? ` rx="${n(sh.r)}"` : ''}${paint(sh)}/>`;
    case 'line':
      return `<line x1="${n(sh.x1)}" y1="${n(sh.y1)}" x2="${n(sh.x2)}" y2="${n(sh.y2)}"${paint(sh)}/>`;
    case 'path':
      return `<path d="${sh.d}"${paint(sh)}/>`;
    case 'text': {
      const halo = sh.halo ? ` paint-order="stroke" stroke="${sh.halo}" stroke-width="6"` : '';
      const title = sh.title ? `<title>${xmlText(sh.title)}</title>` : '';
      return `<text x="${n(sh.x)}" y="${n(sh.y)}" font-size="${n(sh.size)}" text-anchor="${sh.anchor}" fill="${sh.fill}"${sh.bold ? ' font-weight="700"' : ''}${halo}>${title}${xmlText(sh.text)}</text>`;
    }
  }
}

export function sceneSvg(sc: Scene): string {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(sc.width)}" height="${n(sc.height)}" viewBox="0 0 ${n(sc.width)} ${n(sc.height)}" font-family="${xmlText(sc.font)}">`,
    `<rect width="100%" height="100%" fill="${sc.background}"/>`,
  ];
  for (const sh of sc.shapes) out.push(shapeSvg(sh));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function diagramSvg(d: Diagram, opts: SceneOptions = {}): string {
  return sceneSvg(diagramScene(d, opts));
}
