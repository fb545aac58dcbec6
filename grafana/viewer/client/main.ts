import type * as Echarts from 'echarts';
import { dayOf, daysRange, rangeEndingAt, resolveRange, type TimeRange } from '../time-range.js';
import { fetchDashboards, fetchOptions, fetchPanel, fetchStatus, type Frame, type Status, type ViewerDashboard, type ViewerPanel } from './api.js';
import { dateTime, describeDays } from './format.js';
import { fitText, renderPanel } from './render.js';
import { readViewState, writeViewState, type ViewState } from './url-state.js';

/** How often everything is re-queried: a new upload or till sale shows up without a reload (local queries cost nothing). */
const REFRESH_MS = 5_000;
const ALL = '$__all';
/** The range select's value for a from–to the person picks. */
const CUSTOM = 'custom';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface RangeSpec {
  readonly from: string;
  readonly to: string;
}

interface State {
  dashboards: ViewerDashboard[];
  current: ViewerDashboard | undefined;
  range: RangeSpec;
  selections: Record<string, string[]>;
  options: Record<string, string[]>;
  status: Status | undefined;
  /** Bumped on every change of dashboard or filter, so late answers for old choices are dropped. */
  generation: number;
  charts: Map<number, Echarts.ECharts>;
  bodies: Map<number, HTMLElement>;
  /** The last frame drawn per panel: a resize redraws it (labels and ring sizes depend on the panel's size). */
  frames: Map<number, Frame>;
}

const state: State = {
  dashboards: [],
  current: undefined,
  range: { from: 'now-7d', to: 'now' },
  selections: {},
  options: {},
  status: undefined,
  generation: 0,
  charts: new Map(),
  bodies: new Map(),
  frames: new Map(),
};

const timeZone = () => state.current?.timeZone ?? 'UTC';
const quickRanges = () => state.current?.quickRanges ?? [];
const isQuick = (range: RangeSpec) => quickRanges().some((quick) => quick.from === range.from && quick.to === range.to);
const isAbsolute = (text: string) => /^\d+$/.test(text);

/** The range shown, as instants now; an unreadable range (a hand-edited URL) falls back to the dashboard's default. */
function resolved(): TimeRange {
  try {
    return resolveRange(state.range, new Date(), timeZone());
  } catch {
    state.range = state.current?.time ?? { from: 'now-7d', to: 'now' };
    return resolveRange(state.range, new Date(), timeZone());
  }
}

/** Keeps the view in the address bar, in Grafana's parameters, so it can be bookmarked or sent. */
function syncUrl(): void {
  const view: ViewState = { dashboard: state.current?.uid, from: state.range.from, to: state.range.to, variables: state.selections };
  history.replaceState(null, '', writeViewState(view));
}

function showBanner(status: Status | undefined, failure?: string): void {
  const banner = element<HTMLDivElement>('banner');
  if (failure || (status && !status.reachable)) {
    banner.className = 'unreachable';
    banner.textContent = `The warehouse is unreachable (${failure ?? status?.error ?? 'no answer'}). The panels keep their last figures and retry every ${REFRESH_MS / 1000} s.`;
    banner.hidden = false;
  } else if (status && status.sales === 0) {
    banner.className = 'empty';
    const inbox = document.createElement('code');
    inbox.className = 'inbox';
    inbox.textContent = status.inbox ?? 'the inbox folder that npm start prints';
    banner.replaceChildren(
      'The warehouse is empty: no sales have been loaded yet. Drop the branches’ CSV files into ',
      inbox,
      ' and the running stack loads them; till sales posted to the till API arrive by themselves. This page updates on its own.',
    );
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

const branchSelection = () => (state.selections.branch ?? []).filter((value) => value !== ALL);

/** Says so when the newest sale is older than the range, and offers the same span of days ending with it. */
function showNotice(status: Status | undefined, range: TimeRange): void {
  const notice = element<HTMLDivElement>('notice');
  const newest = status?.newestSaleAt ? new Date(status.newestSaleAt) : undefined;
  if (!status?.reachable || !newest || newest.getTime() >= range.from.getTime()) {
    notice.hidden = true;
    return;
  }
  const jump = rangeEndingAt(state.range, range, newest, timeZone());
  const branches = branchSelection();
  const whose = branches.length === 0 ? '' : ` of ${branches.join(' + ')}`;
  element<HTMLSpanElement>('notice-text').textContent = `No sales in this range: the newest sale${whose} is from ${dateTime(newest.getTime())}, before it starts.`;
  const button = element<HTMLButtonElement>('jump');
  button.textContent = `Show ${describeDays(Number(jump.from), Number(jump.to), timeZone())}`;
  button.dataset.from = jump.from;
  button.dataset.to = jump.to;
  button.onclick = () => setRange(jump);
  notice.hidden = false;
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

function setRange(range: RangeSpec): void {
  state.range = range;
  syncUrl();
  renderRangePicker();
  void refresh(true);
}

/** The picker: the dashboard's quick ranges, a range from the URL that is none of them, and a custom from–to in whole days. */
function renderRangePicker(): void {
  const select = element<HTMLSelectElement>('range');
  const custom = element<HTMLFormElement>('custom-range');
  const current = state.range;
  const options = quickRanges().map((quick) => new Option(quick.display, `${quick.from}|${quick.to}`));
  const absolute = isAbsolute(current.from) && isAbsolute(current.to);
  if (!isQuick(current) && !absolute) options.push(new Option(`${current.from} to ${current.to}`, `${current.from}|${current.to}`));
  options.push(new Option('Custom dates…', CUSTOM));
  select.replaceChildren(...options);
  select.value = absolute ? CUSTOM : `${current.from}|${current.to}`;
  const range = resolved();
  const fromInput = element<HTMLInputElement>('range-from');
  const toInput = element<HTMLInputElement>('range-to');
  fromInput.value = dayOf(range.from, timeZone());
  toInput.value = dayOf(range.to, timeZone());
  custom.hidden = select.value !== CUSTOM;
  select.onchange = () => {
    if (select.value === CUSTOM) {
      custom.hidden = false;
      fromInput.focus();
      return;
    }
    const [from = 'now-7d', to = 'now'] = select.value.split('|');
    setRange({ from, to });
  };
  custom.onsubmit = (event) => {
    event.preventDefault();
    try {
      setRange(daysRange(fromInput.value, toInput.value, timeZone()));
      element<HTMLSpanElement>('range-error').textContent = '';
    } catch (error) {
      element<HTMLSpanElement>('range-error').textContent = error instanceof Error ? error.message : String(error);
    }
  };
  const shown = element<HTMLSpanElement>('range-shown');
  shown.textContent = describeDays(range.from.getTime(), range.to.getTime(), timeZone());
  shown.dataset.from = String(range.from.getTime());
  shown.dataset.to = String(range.to.getTime());
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
          syncUrl();
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

/**
 * Lays the panels out on Grafana's 24-column grid (CSS variables carry each
 * panel's place, so the phone layout can restack them), in reading order.
 */
/** Charts and figures follow their panel's size, which the layout (not only the window) decides. */
const resizes = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const body = entry.target as HTMLElement;
    const id = Number(body.parentElement?.dataset.panelId);
    const panel = state.current?.panels.find((candidate) => candidate.id === id);
    const frame = state.frames.get(id);
    if (panel && frame && state.charts.has(id)) renderPanel(panel, frame, body, state.charts, timeZone());
    else fitText(body);
  }
});

function layoutPanels(dashboard: ViewerDashboard): void {
  const grid = element<HTMLElement>('grid');
  resizes.disconnect();
  for (const chart of state.charts.values()) chart.dispose();
  state.charts.clear();
  state.bodies.clear();
  state.frames.clear();
  const ordered = [...dashboard.panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
  grid.replaceChildren(
    ...ordered.map((panel) => {
      const place = (node: HTMLElement) => {
        node.style.setProperty('--col', `${panel.gridPos.x + 1} / span ${panel.gridPos.w}`);
        node.style.setProperty('--row', `${panel.gridPos.y + 1} / span ${panel.gridPos.h}`);
        node.style.setProperty('--h', String(panel.gridPos.h));
        node.dataset.width = panel.gridPos.w >= 8 ? 'wide' : 'narrow';
        return node;
      };
      if (panel.type === 'row') {
        const title = place(document.createElement('h2'));
        title.className = 'row-title';
        title.textContent = panel.title ?? '';
        return title;
      }
      const box = place(document.createElement('section'));
      box.className = 'panel';
      box.dataset.panelId = String(panel.id);
      box.dataset.panelType = panel.type;
      box.dataset.state = 'loading';
      const heading = document.createElement('h3');
      heading.textContent = panel.title ?? '';
      heading.title = panel.description ?? '';
      box.append(heading);
      // Charts say what they count; a stat's figure speaks for itself (its description is the heading's tooltip).
      if (panel.type !== 'stat' && panel.description) {
        const caption = document.createElement('p');
        caption.className = 'caption';
        caption.textContent = panel.description;
        box.append(caption);
      }
      const body = document.createElement('div');
      body.className = 'body';
      body.innerHTML = '<div class="message">Loading…</div>';
      box.append(body);
      state.bodies.set(panel.id, body);
      resizes.observe(body);
      return box;
    }),
  );
}

/** Sum of the numbers a panel shows: a cheap fingerprint tests (and curious people) can read from the DOM. */
function numericTotal(panel: ViewerPanel, frame: Frame): number {
  // A compared stat's first row is the earlier period: the figure shown is the last row.
  const rows = panel.type === 'stat' && panel.options.showPercentChange === true ? frame.rows.slice(-1) : frame.rows;
  let total = 0;
  frame.fields.forEach((field, index) => {
    if (field.type !== 'number') return;
    for (const row of rows) total += typeof row[index] === 'number' ? (row[index] as number) : 0;
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
    const frame = await fetchPanel(dashboard.uid, panel.id, state.range, state.selections);
    if (generation !== state.generation) return;
    const box = body.parentElement as HTMLElement;
    box.dataset.rows = String(frame.rows.length);
    box.dataset.total = String(numericTotal(panel, frame));
    const shownRow = frame.rows[frame.rows.length - 1];
    const empty = frame.rows.length === 0 || (panel.type === 'stat' && panel.options.showPercentChange !== true && shownRow?.every((value) => value === null));
    if (empty) return showMessage(panel, body, 'empty', 'No data in this time range');
    box.dataset.state = 'ok';
    state.frames.set(panel.id, frame);
    renderPanel(panel, frame, body, state.charts, timeZone());
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
    try {
      state.status = await fetchStatus(branchSelection());
      showBanner(state.status);
    } catch (error) {
      showBanner(undefined, error instanceof Error ? error.message : String(error));
      return;
    }
    const dashboard = state.current;
    if (!dashboard || !state.status.reachable) return;
    if (dashboard.uid.includes('sales')) showNotice(state.status, resolved());
    else element<HTMLDivElement>('notice').hidden = true;
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

async function openDashboard(uid: string, view?: ViewState): Promise<void> {
  const dashboard = state.dashboards.find((candidate) => candidate.uid === uid) ?? state.dashboards[0];
  if (!dashboard) return;
  state.current = dashboard;
  state.range = view?.from && view.to ? { from: view.from, to: view.to } : dashboard.time;
  state.selections = Object.fromEntries(dashboard.variables.map((variable) => [variable.name, [...(view?.variables[variable.name] ?? [ALL])]]));
  resolved();
  syncUrl();
  renderTabs();
  renderRangePicker();
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
  const view = readViewState(location.search);
  await openDashboard(view.dashboard ?? state.dashboards[0]?.uid ?? '', view);
  setInterval(() => void refresh(), REFRESH_MS);
}

void start();
