import type * as Echarts from 'echarts';
import type { Frame, ViewerPanel } from './api.js';
import { dateTime, formatValue } from './format.js';

/** ECharts is loaded by its own script tag (served from node_modules), not bundled. */
declare const echarts: typeof Echarts;

type Value = number | string | null;
type FieldInfo = { readonly name: string; readonly type: 'time' | 'number' | 'string'; readonly index: number };

const PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#fade2a'];

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
const format = (panel: ViewerPanel, field: string, value: Value) => formatValue(value, unitOf(panel, field), defaults(panel).decimals);

function fieldsOf(frame: Frame): FieldInfo[] {
  return frame.fields.map((field, index) => ({ ...field, index }));
}

const column = (frame: Frame, index: number): Value[] => frame.rows.map((row) => row[index] ?? null);

const baseOption = (): Echarts.EChartsOption => ({
  backgroundColor: 'transparent',
  color: PALETTE,
  animation: false,
  textStyle: { color: '#ccccdc' },
  grid: { left: 12, right: 16, top: 16, bottom: 36, containLabel: true },
  legend: { bottom: 0, textStyle: { color: '#ccccdc' } },
});

function timeseriesOption(panel: ViewerPanel, frame: Frame): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const time = fields.find((field) => field.type === 'time');
  const custom = defaults(panel).custom ?? {};
  const bars = custom.drawStyle === 'bars';
  const stacked = custom.stacking?.mode === 'normal';
  const values = fields.filter((field) => field.type === 'number');
  const unit = unitOf(panel, values[0]?.name ?? '');
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatValue(typeof value === 'number' ? value : null, unit, defaults(panel).decimals) },
    xAxis: { type: 'time', min: frame.range?.from, max: frame.range?.to, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatValue(value, unit, 0) }, splitLine: { lineStyle: { color: '#2c3235' } } },
    series: values.map((field) => ({
      name: field.name,
      type: bars ? 'bar' : 'line',
      stack: stacked ? 'total' : undefined,
      barMaxWidth: 18,
      showSymbol: true,
      symbolSize: 5,
      data: frame.rows.map((row) => [time ? row[time.index] : null, row[field.index]]),
    })) as Echarts.SeriesOption[],
  };
}

function barchartOption(panel: ViewerPanel, frame: Frame): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const xName = (panel.options.xField as string | undefined) ?? fields.find((field) => field.type === 'string')?.name;
  const category = fields.find((field) => field.name === xName) ?? fields[0];
  const values = fields.filter((field) => field.type === 'number' && field !== category);
  const horizontal = panel.options.orientation === 'horizontal';
  const rightAxis = values.some((field) => override(panel, field.name, 'custom.axisPlacement') === 'right');
  const valueAxes = [{ name: values[0]?.name }, ...(rightAxis ? [{ name: values.find((field) => override(panel, field.name, 'custom.axisPlacement') === 'right')?.name }] : [])].map(
    (axis, index) => ({
      type: 'value' as const,
      position: (horizontal ? (index === 0 ? 'bottom' : 'top') : index === 0 ? 'left' : 'right') as 'bottom',
      axisLabel: { formatter: (value: number) => formatValue(value, unitOf(panel, axis.name ?? ''), 0), hideOverlap: true },
      splitLine: { show: index === 0, lineStyle: { color: '#2c3235' } },
    }),
  );
  const categories = column(frame, category?.index ?? 0).map((value) => String(value ?? ''));
  // Horizontal bars read top-down in query order, so the category axis is inverted.
  const categoryAxis = { type: 'category' as const, data: categories, inverse: horizontal, axisLabel: { width: 160, overflow: 'truncate' as const } };
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    ...(horizontal ? { yAxis: categoryAxis, xAxis: valueAxes } : { xAxis: categoryAxis, yAxis: valueAxes }),
    series: values.map((field) => {
      const axisIndex = rightAxis && override(panel, field.name, 'custom.axisPlacement') === 'right' ? 1 : 0;
      return {
        name: field.name,
        type: 'bar',
        ...(horizontal ? { xAxisIndex: axisIndex } : { yAxisIndex: axisIndex }),
        data: column(frame, field.index),
        tooltip: { valueFormatter: (value: unknown) => format(panel, field.name, typeof value === 'number' ? value : null) },
      };
    }) as Echarts.SeriesOption[],
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
    grid: { left: 12, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: { formatter: (params: unknown) => {
      const [xi, yi, value] = (params as { value: [number, number, number] }).value;
      return `${buckets[yi]?.name ?? ''} ${xs[xi] ?? ''}:00 — ${format(panel, '', value)} sales`;
    } },
    xAxis: { type: 'category', data: xs, name: `${x?.name ?? ''} (UK time)`, nameLocation: 'end', splitArea: { show: true } },
    yAxis: { type: 'category', data: buckets.map((field) => field.name), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, textStyle: { color: '#ccccdc' }, inRange: { color: ['#1f1d1a', '#8a4a0b', '#ff9830', '#ffe0b3'] } },
    series: [{ type: 'heatmap', data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#fff', borderWidth: 1 } } }],
  };
}

function pieOption(panel: ViewerPanel, frame: Frame): Echarts.EChartsOption {
  const fields = fieldsOf(frame);
  const label = fields.find((field) => field.type === 'string') ?? fields[0];
  const value = fields.find((field) => field.type === 'number');
  return {
    ...baseOption(),
    tooltip: { trigger: 'item', valueFormatter: (v) => format(panel, value?.name ?? '', typeof v === 'number' ? v : null) },
    series: [
      {
        type: 'pie',
        radius: panel.options.pieType === 'donut' ? ['42%', '70%'] : '70%',
        label: { color: '#ccccdc', formatter: '{b}\n{d}%', overflow: 'none' },
        data: frame.rows.map((row) => ({ name: String(row[label?.index ?? 0] ?? ''), value: Number(row[value?.index ?? 1] ?? 0) })),
      },
    ],
  };
}

function renderStat(panel: ViewerPanel, frame: Frame, body: HTMLElement): void {
  const row = frame.rows[0] ?? [];
  const stat = document.createElement('div');
  stat.className = 'stat';
  for (const field of fieldsOf(frame)) {
    const value = row[field.index] ?? null;
    const cell = document.createElement('div');
    const shown = document.createElement('div');
    shown.className = 'value';
    shown.textContent = format(panel, field.name, value);
    if (field.type === 'time' && typeof value === 'number') shown.title = dateTime(value);
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = field.name;
    cell.append(shown, name);
    stat.append(cell);
  }
  body.replaceChildren(stat);
}

function renderTable(panel: ViewerPanel, frame: Frame, body: HTMLElement): void {
  const fields = fieldsOf(frame);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const field of fields) head.insertCell().outerHTML = `<th>${field.name.replace(/[<&]/g, '')}</th>`;
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

const CHARTS: Readonly<Record<string, (panel: ViewerPanel, frame: Frame) => Echarts.EChartsOption>> = {
  timeseries: timeseriesOption,
  barchart: barchartOption,
  heatmap: heatmapOption,
  piechart: pieOption,
};

/** Draws a panel's frame into its body, reusing the panel's chart between refreshes. */
export function renderPanel(panel: ViewerPanel, frame: Frame, body: HTMLElement, charts: Map<number, Echarts.ECharts>): void {
  const chartOption = CHARTS[panel.type];
  if (!chartOption) {
    charts.get(panel.id)?.dispose();
    charts.delete(panel.id);
    if (panel.type === 'stat') renderStat(panel, frame, body);
    else renderTable(panel, frame, body);
    return;
  }
  let chart = charts.get(panel.id);
  if (!chart || chart.isDisposed() || !body.contains(chart.getDom())) {
    const holder = document.createElement('div');
    holder.className = 'chart';
    body.replaceChildren(holder);
    chart = echarts.init(holder, 'dark', { renderer: 'canvas' });
    charts.set(panel.id, chart);
  }
  chart.setOption(chartOption(panel, frame), true);
  chart.resize();
}
