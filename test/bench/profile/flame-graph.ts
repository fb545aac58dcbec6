import type { CpuProfile, CpuProfileNode } from './cpu-profile.js';

/**
 * Reads V8 CPU profiles: self time by function and by area (a package, a Node
 * built-in, a folder of this repository), and an SVG flame graph (root at the
 * bottom, each frame as wide as its total time, siblings sorted by name), with no
 * browser and no dependency.
 */

/** One function's share of a profile. */
export interface FrameTime {
  readonly name: string;
  /** `contracts/raw-sale.ts:40`, `zod/v4/core/schemas.js:12`, `node:zlib`, or a V8 pseudo-frame. */
  readonly location: string;
  readonly area: string;
  readonly selfMs: number;
  /** Of the profile's busy time (idle excluded), 0–1. */
  readonly share: number;
}

const PSEUDO = new Set(['(program)', '(garbage collector)', '(idle)', '(root)']);

/** Where a frame's code lives, as short as it can be said. */
export function locate(node: CpuProfileNode, repoRoot: string): { location: string; area: string } {
  const { url, lineNumber, functionName } = node.callFrame;
  if (PSEUDO.has(functionName) && url === '') return { location: functionName, area: functionName === '(garbage collector)' ? 'gc' : functionName === '(program)' ? 'v8 (program)' : functionName };
  if (url === '') return { location: 'native', area: 'native' };
  if (url.startsWith('node:')) return { location: url, area: url.replace(/^node:(internal\/)?/, 'node:').split('/')[0] ?? url };
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const inside = path.slice(modules + '/node_modules/'.length);
    const parts = inside.split('/');
    const pkg = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? inside);
    return { location: `${inside}:${lineNumber + 1}`, area: pkg };
  }
  const relative = path.startsWith(`${repoRoot}/`) ? path.slice(repoRoot.length + 1) : path;
  const folders = relative.split('/');
  return { location: `${relative}:${lineNumber + 1}`, area: folders.length > 2 ? `${folders[0]}/${folders[1]}` : (folders[0] ?? relative) };
}

/** Self time of each node, in microseconds, from the samples and their time deltas (else hit counts). */
export function selfMicros(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  // A profile cut to a window may hold no samples at all: then it counts nothing.
  if (samples && timeDeltas && samples.length === timeDeltas.length) {
    // A sample's time is the gap to the next one (the last takes the mean).
    const mean = (profile.endTime - profile.startTime) / samples.length;
    for (let index = 0; index < samples.length; index++) {
      const id = samples[index] as number;
      const gap = index + 1 < timeDeltas.length ? (timeDeltas[index + 1] as number) : mean;
      self.set(id, (self.get(id) ?? 0) + Math.max(0, gap));
    }
    return self;
  }
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const perHit = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * perHit);
  return self;
}

const isIdle = (node: CpuProfileNode) => node.callFrame.functionName === '(idle)' && node.callFrame.url === '';

/** Busy milliseconds of a profile (idle excluded). */
export function busyMs(profile: CpuProfile): number {
  const self = selfMicros(profile);
  return profile.nodes.reduce((sum, node) => sum + (isIdle(node) ? 0 : (self.get(node.id) ?? 0)), 0) / 1000;
}

/** The functions with the most self time, merged across call paths. */
export function topSelf(profiles: readonly CpuProfile[], repoRoot: string, count = 15): FrameTime[] {
  const totals = new Map<string, { name: string; location: string; area: string; micros: number }>();
  let busy = 0;
  for (const profile of profiles) {
    const self = selfMicros(profile);
    for (const node of profile.nodes) {
      if (isIdle(node)) continue;
      const micros = self.get(node.id) ?? 0;
      busy += micros;
      const { location, area } = locate(node, repoRoot);
      const name = node.callFrame.functionName || '(anonymous)';
      const key = `${name}@${location}`;
      const entry = totals.get(key) ?? { name, location, area, micros: 0 };
      entry.micros += micros;
      totals.set(key, entry);
    }
  }
  return [...totals.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, location: entry.location, area: entry.area, selfMs: entry.micros / 1000, share: busy > 0 ? entry.micros / busy : 0 }));
}

/** Self time by area (package, Node built-in, repository folder), largest first. */
export function selfByArea(profiles: readonly CpuProfile[], repoRoot: string): { area: string; selfMs: number; share: number }[] {
  const totals = new Map<string, number>();
  let busy = 0;
  for (const profile of profiles) {
    const self = selfMicros(profile);
    for (const node of profile.nodes) {
      if (isIdle(node)) continue;
      const micros = self.get(node.id) ?? 0;
      busy += micros;
      const { area } = locate(node, repoRoot);
      totals.set(area, (totals.get(area) ?? 0) + micros);
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([area, micros]) => ({ area, selfMs: micros / 1000, share: busy > 0 ? micros / busy : 0 }));
}

interface Frame {
  readonly name: string;
  readonly location: string;
  readonly area: string;
  total: number;
  readonly children: Map<string, Frame>;
}

/** The call tree with idle removed and equal frames under one parent merged, each with its total time. */
function callTree(profile: CpuProfile, repoRoot: string): Frame {
  const self = selfMicros(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const root: Frame = { name: 'all', location: '', area: 'all', total: 0, children: new Map() };
  const rootNode = profile.nodes[0];
  if (!rootNode) return root;
  const visit = (node: CpuProfileNode, into: Frame): number => {
    let total = self.get(node.id) ?? 0;
    for (const childId of node.children ?? []) {
      const child = byId.get(childId);
      if (!child || isIdle(child)) continue;
      const { location, area } = locate(child, repoRoot);
      const name = child.callFrame.functionName || '(anonymous)';
      const key = `${name}@${location}`;
      let frame = into.children.get(key);
      if (!frame) {
        frame = { name, location, area, total: 0, children: new Map() };
        into.children.set(key, frame);
      }
      const spent = visit(child, frame);
      frame.total += spent;
      total += spent;
    }
    return total;
  };
  root.total = visit(rootNode, root) - (self.get(rootNode.id) ?? 0);
  return root;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable warm colour per area, so one package reads as one hue across graphs. */
function colourOf(area: string): string {
  let hash = 0;
  for (let index = 0; index < area.length; index++) hash = (hash * 31 + area.charCodeAt(index)) >>> 0;
  if (area.startsWith('node:')) return `hsl(${200 + (hash % 30)}, 55%, 72%)`;
  if (area === 'gc' || area.startsWith('v8') || area === 'native') return 'hsl(0, 0%, 75%)';
  if (/^(contracts|producers|consumers|common|infra)/.test(area)) return `hsl(${20 + (hash % 25)}, 85%, ${60 + (hash % 12)}%)`;
  return `hsl(${45 + (hash % 60)}, 70%, ${62 + (hash % 10)}%)`;
}

/**
 * An SVG flame graph of one profile: the root at the bottom, each frame as wide as
 * its share of busy time; frames narrower than a pixel are left out. Hovering a
 * frame shows its name, location and time (an SVG `<title>`).
 */
export function renderFlameGraph(profile: CpuProfile, options: { title: string; repoRoot: string; width?: number; rowHeight?: number; maxDepth?: number }): string {
  const width = options.width ?? 1200;
  const rowHeight = options.rowHeight ?? 16;
  const maxDepth = options.maxDepth ?? 48;
  const tree = callTree(profile, options.repoRoot);
  const scale = tree.total > 0 ? (width - 20) / tree.total : 0;
  const rects: string[] = [];
  let depthReached = 0;
  const place = (frame: Frame, x: number, depth: number) => {
    if (depth > maxDepth) return;
    depthReached = Math.max(depthReached, depth);
    const w = frame.total * scale;
    const label = `${frame.name} ${frame.location}`.trim();
    const ms = (frame.total / 1000).toFixed(1);
    const share = tree.total > 0 ? ((100 * frame.total) / tree.total).toFixed(1) : '0';
    rects.push(
      `<g><title>${escapeXml(`${label} — ${ms} ms (${share}%)`)}</title><rect x="${(10 + x).toFixed(1)}" y="{Y${depth}}" width="${Math.max(0, w - 0.5).toFixed(1)}" height="${rowHeight - 1}" fill="${colourOf(frame.area)}" rx="1"/>` +
        (w > 40 ? `<text x="${(13 + x).toFixed(1)}" y="{T${depth}}" font-size="11" font-family="monospace">${escapeXml(label.slice(0, Math.floor((w - 6) / 6.6)))}</text>` : '') +
        '</g>',
    );
    let offset = x;
    for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (child.total * scale >= 1) place(child, offset, depth + 1);
      offset += child.total * scale;
    }
  };
  place(tree, 0, 0);
  const header = 40;
  const height = header + (depthReached + 1) * rowHeight + 10;
  const y = (depth: number) => height - 10 - (depth + 1) * rowHeight;
  const body = rects.map((rect) => rect.replace(/\{Y(\d+)\}/, (_m, d: string) => String(y(Number(d)))).replace(/\{T(\d+)\}/, (_m, d: string) => String(y(Number(d)) + rowHeight - 4))).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="24" font-size="15" font-family="sans-serif">${escapeXml(options.title)} — ${(tree.total / 1000).toFixed(0)} ms busy</text>`,
    body,
    '</svg>',
  ].join('\n');
}
