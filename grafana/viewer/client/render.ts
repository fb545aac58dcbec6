import type * as Echarts from 'echarts';
import type { Frame, ViewerPanel } from './api.js';
import { dateTime, describeChange, earlierBy, formatPercent, formatValue } from './format.js';

/** ECharts is loaded by its own script tag (served from node_modules), not bundled. */
declare const echarts: typeof Echarts;

type Value = number | string | null;
type FieldInfo = { readonly name: string; readonly type: 'time' | 'number' | 'string'; readonly index: number };

const PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#fade2a'];
const TEXT = '#ccccdc';
const GRID_LINE = '#2c3235';
/** Characters to pixels for the 12 px labels, to leave room for a slice's label. */
const LABEL_CHAR_PX = 7.2;

/** What an option builder knows of where it draws: the chart's size in px and the dashboard's zone. */
interface DrawContext {
  readonly width: number;
  readonly height: number;
  readonly timeZone: string;
}

interface FieldDefaults {
  readonly unit?: string;
  readonly decimals?: number;
  readonly custom?: { readonly drawStyle?: string; readonly stacking?: { readonly mode?: string } };
}

const defaults = (panel: ViewerPanel): FieldDefaults => panel.fieldConfig.defaults as FieldDefaults;

/** A field's override property (byName matcher), else undefined: Grafana's per-field settings. */
function override(panel: ViewerPanel, field: string, property: string): unknown {
  for (const item of panel.fieldConfig.overrides) {
    if (item.matcher.id !== 'byName' || item.matcher.options !== field) continue;
    const found = item.properties.find((candidate) => candidate.id === property);
    if (found) return found.value;
  }
  return undefined;
}

const unitOf = (panel: ViewerPanel, field: string): string | undefined => (override(panel, field, 'unit') as string | undefined) ?? defaults(panel).unit;

/** A value as the panel shows it: its field's unit and the panel's decimals. */
export const format = (panel: ViewerPanel, field: string, value: Value): string => formatValue(value, unitOf(panel, field), defaults(panel).decimals);

function fieldsOf(frame: Frame): FieldInfo[] {
  return frame.fields.map((field, index) => ({ ...field, index }));
}

const column = (frame: Frame, index: number): Value[] => frame.rows.map((row) => row[index] ?? null);

const baseOption = (): Echarts.EChartsOption => ({
  backgroundColor: 'transparent',
  color: PALETTE,
  animation: false,
  textStyle: { color: TEXT, fontSize: 12 },
  grid: { left: 8, right: 12, top: 12, bottom: 32, containLabel: true },
  legend: { bottom: 0, textStyle: { color: TEXT }, itemWidth: 14, itemHeight: 10 },
});

/**
 * Time series: one value axis in the panel's unit (Grafana plots every field
 * of a panel on its unit's axis; these panels have one unit each).
 */
function timeseriesOption(panel: ViewerPanel, frame: Frame, context: DrawContext): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const span = (frame.range?.to ?? 0) - (frame.range?.from ?? 0);
  // Ticks fall where ECharts likes; their labels are in the dashboard's zone, like Grafana's.
  const tick = (value: number) =>
    new Date(value).toLocaleString('en-GB', span <= 36 * 3_600_000 ? { timeZone: context.timeZone, hour: '2-digit', minute: '2-digit' } : { timeZone: context.timeZone, day: 'numeric', month: 'short' });
  const time = fields.find((field) => field.type === 'time');
  const custom = defaults(panel).custom ?? {};
  const bars = custom.drawStyle === 'bars';
  const stacked = custom.stacking?.mode === 'normal';
  const values = fields.filter((field) => field.type === 'number');
  const unit = unitOf(panel, values[0]?.name ?? '');
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatValue(typeof value === 'number' ? value : null, unit, defaults(panel).decimals) },
    xAxis: { type: 'time', min: frame.range?.from, max: frame.range?.to, axisLabel: { hideOverlap: true, color: TEXT, formatter: tick }, splitLine: { show: false } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatValue(value, unit, 0), hideOverlap: true, color: TEXT }, splitLine: { lineStyle: { color: GRID_LINE } } },
    series: values.map((field) => ({
      name: field.name,
      type: bars ? 'bar' : 'line',
      stack: stacked ? 'total' : undefined,
      barMaxWidth: 40,
      showSymbol: true,
      symbolSize: 5,
      data: frame.rows.map((row) => [time ? row[time.index] : null, row[field.index]]),
    })) as Echarts.SeriesOption[],
  };
}

/**
 * Categorical bars, one measure per panel. Horizontal bars carry their name
 * above the bar and their value after it, both in full: a phone has no room for
 * a column of names beside the bars, and a cut name no longer matches the data.
 */
function barchartOption(panel: ViewerPanel, frame: Frame, context: DrawContext): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const xName = (panel.options.xField as string | undefined) ?? fields.find((field) => field.type === 'string')?.name;
  const category = fields.find((field) => field.name === xName) ?? fields[0];
  const values = fields.filter((field) => field.type === 'number' && field !== category);
  const horizontal = panel.options.orientation === 'horizontal';
  const categories = column(frame, category?.index ?? 0).map((value) => String(value ?? ''));
  const label = (field: FieldInfo) => ({
    show: true,
    position: horizontal ? ('right' as const) : ('top' as const),
    color: TEXT,
    formatter: (params: { value: unknown }) => format(panel, field.name, typeof params.value === 'number' ? params.value : null),
  });
  const tooltip = (field: FieldInfo) => ({ valueFormatter: (value: unknown) => format(panel, field.name, typeof value === 'number' ? value : null) });
  if (!horizontal) {
    return {
      ...baseOption(),
      legend: values.length > 1 ? baseOption().legend : { show: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: categories, axisLabel: { color: TEXT, hideOverlap: true } },
      yAxis: { type: 'value', axisLabel: { show: false }, splitLine: { lineStyle: { color: GRID_LINE } } },
      series: values.map((field) => ({ name: field.name, type: 'bar', data: column(frame, field.index), label: label(field), tooltip: tooltip(field) })) as Echarts.SeriesOption[],
    };
  }
  // Each band holds one line, the name and its figure, above a bar: nothing to collide with another bar's text.
  const band = (context.height - 22) / Math.max(1, categories.length);
  const bar = Math.max(4, Math.min(14, Math.floor(band - 20)));
  const figure = values[0];
  const figures = figure ? column(frame, figure.index).map((value) => format(panel, figure.name, value)) : [];
  return {
    ...baseOption(),
    legend: values.length > 1 ? baseOption().legend : { show: false },
    grid: { left: 4, right: 12, top: 18, bottom: 4, containLabel: false },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    yAxis: {
      type: 'category',
      data: categories,
      // Query order, top-down.
      inverse: true,
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        inside: true,
        verticalAlign: 'bottom',
        align: 'left',
        interval: 0,
        padding: [0, 0, Math.ceil(bar / 2) + 5, 0],
        formatter: (name: string, index: number) => `{name|${name}}  {figure|${figures[index] ?? ''}}`,
        rich: { name: { color: TEXT, fontSize: 12 }, figure: { color: '#ffffff', fontSize: 12, fontWeight: 'bold' } },
      },
      z: 10,
    },
    // The figures are beside the names: the value axis keeps its grid lines, not a second set of numbers.
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { lineStyle: { color: GRID_LINE } } },
    series: values.map((field) => ({ name: field.name, type: 'bar', barWidth: bar, data: column(frame, field.index), tooltip: tooltip(field) })) as Echarts.SeriesOption[],
  };
}

/** Heatmap "rows" layout: the first field is x, each further number field is one y bucket. */
function heatmapOption(panel: ViewerPanel, frame: Frame): Echarts.EChartsOption {
  const [x, ...rest] = fieldsOf(frame);
  const buckets = rest.filter((field) => field.type === 'number');
  const xs = column(frame, x?.index ?? 0).map((value) => String(value ?? ''));
  const data = frame.rows.flatMap((row, xi) => buckets.map((field, yi) => [xi, yi, row[field.index] ?? 0]));
  const max = Math.max(1, ...data.map((cell) => Number(cell[2])));
  return {
    ...baseOption(),
    legend: undefined,
    grid: { left: 8, right: 12, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (params: unknown) => {
        const [xi, yi, value] = (params as { value: [number, number, number] }).value;
        return `${buckets[yi]?.name ?? ''} ${xs[xi] ?? ''}:00 — ${format(panel, '', value)} sales`;
      },
    },
    xAxis: { type: 'category', data: xs, name: x?.name ?? '', nameLocation: 'middle', nameGap: 22, splitArea: { show: true }, axisLabel: { color: TEXT, hideOverlap: true } },
    yAxis: { type: 'category', data: buckets.map((field) => field.name), inverse: true, splitArea: { show: true }, axisLabel: { color: TEXT } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 100, itemWidth: 10, textStyle: { color: TEXT }, inRange: { color: ['#1f1d1a', '#8a4a0b', '#ff9830', '#ffe0b3'] } },
    series: [{ type: 'heatmap', data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#fff', borderWidth: 1 } } }],
  };
}

/**
 * Pie and donut: each slice labelled with its name and its share of the total
 * (what Grafana's "percent" label shows), computed here from the rows, and kept
 * inside the panel however narrow it is.
 */
function pieOption(panel: ViewerPanel, frame: Frame, context: DrawContext): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const label = fields.find((field) => field.type === 'string') ?? fields[0];
  const value = fields.find((field) => field.type === 'number');
  const slices = frame.rows.map((row) => ({ name: String(row[label?.index ?? 0] ?? ''), value: Number(row[value?.index ?? 1] ?? 0) }));
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const share = (name: string) => formatPercent(total === 0 ? 0 : (slices.find((slice) => slice.name === name)?.value ?? 0) / total);
  // Room for a label on either side: the ring shrinks rather than the labels being cut.
  const labelPx = Math.max(0, ...slices.map((slice) => `${slice.name} ${share(slice.name)}`.length)) * LABEL_CHAR_PX + 24;
  const outer = Math.max(24, Math.min((context.height - 40) * 0.45, context.width / 2 - labelPx));
  return {
    ...baseOption(),
    legend: { bottom: 0, textStyle: { color: TEXT }, formatter: (name: string) => `${name} ${share(name)}` },
    tooltip: { trigger: 'item', valueFormatter: (v) => format(panel, value?.name ?? '', typeof v === 'number' ? v : null) },
    series: [
      {
        type: 'pie',
        radius: panel.options.pieType === 'donut' ? [outer * 0.6, outer] : outer,
        center: ['50%', (context.height - 28) / 2],
        label: { color: TEXT, formatter: (params: { name: string }) => `${params.name} ${share(params.name)}`, minMargin: 4 },
        labelLine: { length: 8, length2: 6 },
        data: slices,
      },
    ],
  };
}

/** The field a stat shows: the one its `reduceOptions.fields` pattern names, else the first number field. */
function statFields(panel: ViewerPanel, frame: Frame): FieldInfo[] {
  const pattern = (panel.options.reduceOptions as { fields?: string } | undefined)?.fields;
  const match = pattern && /^\/(.*)\/$/.exec(pattern);
  const regex = match ? new RegExp(match[1] ?? '') : undefined;
  return fieldsOf(frame).filter((field) => (regex ? regex.test(field.name) : field.type === 'number'));
}

/**
 * A stat: the last row's value of each shown field. With Grafana's "percent
 * change" on, the first row is the comparison (the same period earlier, its
 * start in `time`), shown beneath the figure with the change in words.
 */
function renderStat(panel: ViewerPanel, frame: Frame, body: HTMLElement): void {
  const stat = document.createElement('div');
  stat.className = 'stat';
  const last = frame.rows[frame.rows.length - 1] ?? [];
  const first = frame.rows[0] ?? [];
  const time = fieldsOf(frame).find((field) => field.name === 'time');
  const compared = panel.options.showPercentChange === true && frame.rows.length >= 2;
  const fields = statFields(panel, frame);
  for (const field of fields) {
    const value = last[field.index] ?? null;
    const cell = document.createElement('div');
    cell.className = 'figure';
    cell.dataset.field = field.name;
    const shown = document.createElement('div');
    shown.className = 'value';
    shown.textContent = format(panel, field.name, value);
    if (field.type === 'time' && typeof value === 'number') shown.title = dateTime(value);
    cell.append(shown);
    if (compared) {
      const previous = first[field.index] ?? null;
      const shift = time ? Number(last[time.index]) - Number(first[time.index]) : 0;
      const comparison = document.createElement('div');
      comparison.className = 'comparison';
      const number = (item: Value) => (typeof item === 'number' ? item : null);
      comparison.textContent = describeChange(number(value), number(previous), earlierBy(shift), (item) => format(panel, field.name, item));
      comparison.dataset.trend = number(previous) && number(value) !== null ? Math.sign(Number(value) - Number(previous)).toString() : '0';
      cell.append(comparison);
    } else if (fields.length > 1) {
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = field.name;
      cell.append(name);
    }
    stat.append(cell);
  }
  body.replaceChildren(stat);
  fitText(stat);
}

/** The smallest a headline figure may shrink to before it wraps instead. */
const MIN_FIGURE_PX = 12;

/**
 * Shrinks each figure's font until its text fits its box: a stat is never cut,
 * whatever the width of the panel or the size of the number.
 */
export function fitText(root: ParentNode): void {
  for (const value of Array.from(root.querySelectorAll<HTMLElement>('.stat .value'))) {
    value.style.fontSize = '';
    let size = parseFloat(getComputedStyle(value).fontSize);
    while (value.scrollWidth > value.clientWidth && size > MIN_FIGURE_PX) {
      size -= 1;
      value.style.fontSize = `${size}px`;
    }
    if (value.scrollWidth > value.clientWidth) value.style.whiteSpace = 'normal';
  }
}

function renderTable(panel: ViewerPanel, frame: Frame, body: HTMLElement): void {
  const fields = fieldsOf(frame);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const field of fields) {
    const th = document.createElement('th');
    th.textContent = field.name;
    head.append(th);
  }
  const rows = table.createTBody();
  for (const row of frame.rows) {
    const tr = rows.insertRow();
    for (const field of fields) {
      const value = row[field.index] ?? null;
      tr.insertCell().textContent = field.type === 'time' && typeof value === 'number' ? dateTime(value) : format(panel, field.name, value);
    }
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  body.replaceChildren(wrap);
}

const CHARTS: Readonly<Record<string, (panel: ViewerPanel, frame: Frame, context: DrawContext) => Echarts.EChartsOption>> = {
  timeseries: timeseriesOption,
  barchart: barchartOption,
  heatmap: heatmapOption,
  piechart: pieOption,
};

/** Height a horizontal bar chart needs on a phone, where panels grow to their content: a band per bar. */
const BAR_BAND_PX = 34;

/**
 * Draws a panel's frame into its body, reusing the panel's chart between
 * refreshes. Charts draw as SVG, so their labels are text in the page: what a
 * reader (or a test) sees is what was drawn.
 */
export function renderPanel(panel: ViewerPanel, frame: Frame, body: HTMLElement, charts: Map<number, Echarts.ECharts>, timeZone: string): void {
  const chartOption = CHARTS[panel.type];
  if (!chartOption) {
    charts.get(panel.id)?.dispose();
    charts.delete(panel.id);
    if (panel.type === 'stat') renderStat(panel, frame, body);
    else renderTable(panel, frame, body);
    return;
  }
  if (panel.type === 'barchart' && panel.options.orientation === 'horizontal') body.style.setProperty('--content-px', `${frame.rows.length * BAR_BAND_PX + 16}px`);
  let chart = charts.get(panel.id);
  if (!chart || chart.isDisposed() || !body.contains(chart.getDom())) {
    const holder = document.createElement('div');
    holder.className = 'chart';
    body.replaceChildren(holder);
    chart = echarts.init(holder, 'dark', { renderer: 'svg' });
    charts.set(panel.id, chart);
  }
  chart.resize();
  chart.setOption(chartOption(panel, frame, { width: chart.getWidth(), height: chart.getHeight(), timeZone }), true);
}
