import * as echarts from 'echarts';

/** Renders an ECharts option to an SVG string (server-side, no browser). */
export function renderSvg(option: echarts.EChartsOption, width = 720, height = 360): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, backgroundColor: '#fff', ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
