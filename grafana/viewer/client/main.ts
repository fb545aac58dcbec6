import type * as Echarts from 'echarts';
import { fetchDashboards, fetchOptions, fetchPanel, fetchStatus, type Frame, type Status, type ViewerDashboard, type ViewerPanel } from './api.js';
import { renderPanel } from './render.js';

/** How often everything is re-queried: a new upload or till sale shows up without a reload. */
const REFRESH_MS = 5_000;
const ALL = '$__all';

const RANGES: readonly [string, string][] = [
  ['now-1h', 'Last hour'],
  ['now-6h', 'Last 6 hours'],
  ['now-24h', 'Last 24 hours'],
  ['now-7d', 'Last 7 days'],
  ['now-30d', 'Last 30 days'],
  ['now-90d', 'Last 90 days'],
  ['now-1y', 'Last year'],
  ['now-5y', 'Last 5 years'],
  ['now-10y', 'Last 10 years'],
];

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface State {
  dashboards: ViewerDashboard[];
  current: ViewerDashboard | undefined;
  from: string;
  selections: Record<string, string[]>;
  options: Record<string, string[]>;
  /** Bumped on every change of dashboard or filter, so late answers for old choices are dropped. */
  generation: number;
  charts: Map<number, Echarts.ECharts>;
  bodies: Map<number, HTMLElement>;
}

const state: State = { dashboards: [], current: undefined, from: 'now-10y', selections: {}, options: {}, generation: 0, charts: new Map(), bodies: new Map() };

function showBanner(status: Status | undefined, failure?: string): void {
  const banner = element<HTMLDivElement>('banner');
  if (failure || (status && !status.reachable)) {
    banner.className = 'unreachable';
    banner.textContent = `The warehouse is unreachable (${failure ?? status?.error ?? 'no answer'}). The panels keep their last figures and retry every ${REFRESH_MS / 1000} s.`;
    banner.hidden = false;
  } else if (status && status.sales === 0) {
    banner.className = 'empty';
    banner.textContent = 'The warehouse is empty: no sales have been loaded yet. Load files with `npx supercafe ingest <folder>` or post a till sale; this page updates by itself.';
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

function renderTabs(): void {
  const tabs = element<HTMLElement>('tabs');
  tabs.replaceChildren(
    ...state.dashboards.map((dashboard) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = dashboard.title.replace(/^Super Café:\s*/, '');
      button.dataset.uid = dashboard.uid;
      if (dashboard.uid === state.current?.uid) button.setAttribute('aria-current', 'page');
      button.addEventListener('click', () => void openDashboard(dashboard.uid));
      return button;
    }),
  );
}

function renderRangeSelect(): void {
  const select = element<HTMLSelectElement>('range');
  const ranges = RANGES.some(([from]) => from === state.from) ? RANGES : [...RANGES, [state.from, state.from] as [string, string]];
  select.replaceChildren(...ranges.map(([from, label]) => new Option(label, from, false, from === state.from)));
  select.onchange = () => {
    state.from = select.value;
    void refresh(true);
  };
}

/** A multi-select with "All" as a checkbox dropdown, like Grafana's variable picker. */
function renderVariables(): void {
  const holder = element<HTMLDivElement>('variables');
  const dashboard = state.current;
  holder.replaceChildren(
    ...(dashboard?.variables ?? []).map((variable) => {
      const chosen = state.selections[variable.name] ?? [ALL];
      const details = document.createElement('details');
      details.className = 'variable';
      details.dataset.variable = variable.name;
      const summary = document.createElement('summary');
      summary.textContent = `${variable.label}: ${chosen.includes(ALL) ? 'All' : chosen.join(' + ')}`;
      const list = document.createElement('div');
      list.className = 'options';
      const choices = [...(variable.includeAll ? [ALL] : []), ...(state.options[variable.name] ?? [])];
      for (const value of choices) {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = value;
        box.checked = chosen.includes(value);
        box.addEventListener('change', () => {
          const others = (state.selections[variable.name] ?? [ALL]).filter((item) => item !== ALL && item !== value);
          const next = value === ALL ? [ALL] : box.checked ? [...others, value] : others;
          state.selections[variable.name] = next.length === 0 ? [ALL] : variable.multi ? next : next.slice(-1);
          renderVariables();
          element<HTMLDivElement>('variables').querySelector<HTMLDetailsElement>(`details[data-variable="${variable.name}"]`)?.setAttribute('open', '');
          void refresh(true);
        });
        label.append(box, ` ${value === ALL ? 'All' : value}`);
        list.append(label);
      }
      details.append(summary, list);
      return details;
    }),
  );
}

function layoutPanels(dashboard: ViewerDashboard): void {
  const grid = element<HTMLElement>('grid');
  for (const chart of state.charts.values()) chart.dispose();
  state.charts.clear();
  state.bodies.clear();
  grid.replaceChildren(
    ...dashboard.panels.map((panel) => {
      const place = (node: HTMLElement) => {
        node.style.gridColumn = `${panel.gridPos.x + 1} / span ${panel.gridPos.w}`;
        node.style.gridRow = `${panel.gridPos.y + 1} / span ${panel.gridPos.h}`;
        return node;
      };
      if (panel.type === 'row') {
        const title = place(document.createElement('div'));
        title.className = 'row-title';
        title.textContent = panel.title ?? '';
        return title;
      }
      const box = place(document.createElement('section'));
      box.className = 'panel';
      box.dataset.panelId = String(panel.id);
      box.dataset.panelType = panel.type;
      box.dataset.state = 'loading';
      const heading = document.createElement('h2');
      heading.textContent = panel.title ?? '';
      heading.title = panel.description ?? '';
      const body = document.createElement('div');
      body.className = 'body';
      body.innerHTML = '<div class="message">Loading…</div>';
      box.append(heading, body);
      state.bodies.set(panel.id, body);
      return box;
    }),
  );
}

/** Sum of the numbers a panel shows: a cheap fingerprint tests (and curious people) can read from the DOM. */
function numericTotal(frame: Frame): number {
  let total = 0;
  frame.fields.forEach((field, index) => {
    if (field.type !== 'number') return;
    for (const row of frame.rows) total += typeof row[index] === 'number' ? (row[index] as number) : 0;
  });
  return Math.round(total * 100) / 100;
}

function showMessage(panel: ViewerPanel, body: HTMLElement, stateName: string, text: string): void {
  state.charts.get(panel.id)?.dispose();
  state.charts.delete(panel.id);
  const box = body.parentElement as HTMLElement;
  box.dataset.state = stateName;
  const message = document.createElement('div');
  message.className = 'message';
  message.textContent = text;
  body.replaceChildren(message);
}

async function refreshPanel(panel: ViewerPanel, generation: number): Promise<void> {
  const dashboard = state.current;
  const body = state.bodies.get(panel.id);
  if (!dashboard || !body) return;
  try {
    const frame = await fetchPanel(dashboard.uid, panel.id, { from: state.from, to: 'now' }, state.selections);
    if (generation !== state.generation) return;
    const box = body.parentElement as HTMLElement;
    box.dataset.rows = String(frame.rows.length);
    box.dataset.total = String(numericTotal(frame));
    const empty = frame.rows.length === 0 || (panel.type === 'stat' && frame.rows[0]?.every((value) => value === null));
    if (empty) return showMessage(panel, body, 'empty', 'No data in this time range');
    box.dataset.state = 'ok';
    renderPanel(panel, frame, body, state.charts);
  } catch (error) {
    if (generation !== state.generation) return;
    showMessage(panel, body, 'error', `Query failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

let refreshing = false;

/** Re-reads the status, the variable options and every panel; `changed` marks a new choice by the user. */
async function refresh(changed = false): Promise<void> {
  if (changed) state.generation++;
  if (refreshing && !changed) return;
  refreshing = true;
  const generation = state.generation;
  const startedAt = Date.now();
  try {
    let status: Status | undefined;
    try {
      status = await fetchStatus();
      showBanner(status);
    } catch (error) {
      showBanner(undefined, error instanceof Error ? error.message : String(error));
      return;
    }
    const dashboard = state.current;
    if (!dashboard || !status.reachable) return;
    for (const variable of dashboard.variables) {
      const options = await fetchOptions(dashboard.uid, variable.name);
      if (JSON.stringify(options) !== JSON.stringify(state.options[variable.name])) {
        state.options[variable.name] = options;
        if (!document.querySelector('details.variable[open]')) renderVariables();
      }
    }
    await Promise.all(dashboard.panels.filter((panel) => panel.type !== 'row').map((panel) => refreshPanel(panel, generation)));
    if (generation === state.generation) {
      element<HTMLSpanElement>('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
      // When the completed refresh started: everything shown is at least this fresh.
      document.body.dataset.refreshed = String(startedAt);
    }
  } finally {
    refreshing = false;
  }
}

async function openDashboard(uid: string): Promise<void> {
  const dashboard = state.dashboards.find((candidate) => candidate.uid === uid) ?? state.dashboards[0];
  if (!dashboard) return;
  state.current = dashboard;
  state.from = dashboard.time.from;
  state.selections = Object.fromEntries(dashboard.variables.map((variable) => [variable.name, [ALL]]));
  history.replaceState(null, '', `?dashboard=${encodeURIComponent(dashboard.uid)}`);
  renderTabs();
  renderRangeSelect();
  renderVariables();
  layoutPanels(dashboard);
  await refresh(true);
}

async function start(): Promise<void> {
  try {
    state.dashboards = await fetchDashboards();
  } catch (error) {
    showBanner(undefined, error instanceof Error ? error.message : String(error));
    setTimeout(() => void start(), REFRESH_MS);
    return;
  }
  await openDashboard(new URLSearchParams(location.search).get('dashboard') ?? state.dashboards[0]?.uid ?? '');
  setInterval(() => void refresh(), REFRESH_MS);
  window.addEventListener('resize', () => {
    for (const chart of state.charts.values()) chart.resize();
  });
}

void start();
