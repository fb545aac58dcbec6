import { renderSvg } from './bench-chart.js';
import { PIPELINE_ROLES, type CpuPerRow } from './cpu-per-row.js';

/** One colour a part, so a part keeps its colour from bar to bar. */
const COLOURS = {
  producer: '#5470c6',
  consumer: '#91cc75',
  kinesalite: '#73608f',
  postgres: '#fac858',
  other: '#9a60b4',
  csvParse: '#3ba272',
  warehouse: '#ee6666',
  essentialProducer: '#9fb3e8',
  essentialConsumer: '#c8e6b5',
  target: '#bbbbbb',
} as const;

/**
 * The CPU-per-row chart (SVG): the whole pipeline by process; the least the
 * guarantees allow (the floor, the essential work of each end, kinesalite); the
 * floor; and the target, `targetRatio` × the floor. Bars in µs per row, from the
 * bench's `CpuPerRow`.
 */
export function cpuPerRowChart(cpu: CpuPerRow, targetRatio: number): string {
  const us = (value: number) => Math.round(value);
  // Rows, bottom to top: the pipeline, its least, the floor, the target.
  const floorParts = (value: number) => [0, us(value), us(value), 0];
  return renderSvg(
    {
      title: { text: `CPU µs per row: the pipeline ${cpu.ratio.toFixed(2)}× the floor, its least ${cpu.leastRatio.toFixed(2)}×` },
      grid: { left: 190, bottom: 70 },
      legend: { bottom: 0, itemGap: 18 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ['whole pipeline', 'least the guarantees allow', 'floor (parse + warehouse)', `target (${targetRatio}× the floor)`] },
      series: [
        ...PIPELINE_ROLES.map((role) => ({ type: 'bar' as const, stack: 'cpu', name: role, itemStyle: { color: COLOURS[role] }, data: [us(cpu.pipelineUs[role]), 0, 0, 0] })),
        { type: 'bar' as const, stack: 'cpu', name: 'csv-parse', itemStyle: { color: COLOURS.csvParse }, data: floorParts(cpu.floorUs.csvParse) },
        { type: 'bar' as const, stack: 'cpu', name: 'warehouse load', itemStyle: { color: COLOURS.warehouse }, data: floorParts(cpu.floorUs.warehouseServer + cpu.floorUs.warehouseClient) },
        { type: 'bar' as const, stack: 'cpu', name: 'essential: producer', itemStyle: { color: COLOURS.essentialProducer }, data: [0, us(cpu.essential.producerUs.total), 0, 0] },
        { type: 'bar' as const, stack: 'cpu', name: 'essential: consumer', itemStyle: { color: COLOURS.essentialConsumer }, data: [0, us(cpu.essential.consumerUs.total), 0, 0] },
        // The stream's own CPU, last in the least's bar (the same colour as kinesalite's in the pipeline's).
        { type: 'bar' as const, stack: 'cpu', name: 'kinesalite', itemStyle: { color: COLOURS.kinesalite }, data: [0, us(cpu.pipelineUs.kinesalite), 0, 0] },
        { type: 'bar' as const, stack: 'cpu', name: 'target', itemStyle: { color: COLOURS.target }, data: [0, 0, 0, us(targetRatio * cpu.floorUs.total)] },
      ],
    },
    760,
    400,
  );
}
