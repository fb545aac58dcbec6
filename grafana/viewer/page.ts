/** The viewer's single page; everything else arrives from the JSON API. */
export const VIEWER_PAGE = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Super Café dashboards</title>
<link rel="stylesheet" href="/viewer/style.css">
</head>
<body>
<header class="bar">
  <h1>Super Café</h1>
  <nav id="tabs" aria-label="Dashboards"></nav>
  <div class="controls">
    <div id="variables"></div>
    <div class="range">
      <label for="range">Time range</label>
      <select id="range"></select>
      <form id="custom-range" hidden>
        <label>From <input type="date" id="range-from" required></label>
        <label>To <input type="date" id="range-to" required></label>
        <button type="submit" id="range-apply">Show</button>
        <span id="range-error" class="error" role="alert"></span>
      </form>
    </div>
    <span id="range-shown" class="muted"></span>
    <span id="updated" class="muted" aria-live="polite"></span>
  </div>
</header>
<div id="banner" role="status" hidden></div>
<div id="notice" role="status" hidden><span id="notice-text"></span> <button type="button" id="jump"></button></div>
<main id="grid"></main>
<script src="/viewer/echarts.min.js"></script>
<script src="/viewer/app.js"></script>
</body>
</html>
`;

/**
 * Two layouts. From 820 px up, Grafana's own grid: 24 columns, each panel where
 * the dashboard puts it (rows 34 px high). Below, a phone's: headline stats two
 * abreast (wide ones alone), every other panel the full width, in reading
 * order, as tall as its content needs. Figures scale with their panel (container
 * units), and the page shrinks any that would still not fit.
 */
export const VIEWER_STYLE = `
:root { --bg: #111217; --panel: #181b1f; --text: #ccccdc; --muted: #9a9aab; --line: #2c3235; --accent: #ff9830; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.4 system-ui, sans-serif; overflow-x: hidden; }
.bar { display: flex; flex-wrap: wrap; gap: 10px 20px; align-items: center; padding: 10px 16px; border-bottom: 1px solid var(--line); }
.bar h1 { font-size: 18px; margin: 0; color: var(--accent); }
nav { display: flex; flex-wrap: wrap; gap: 6px; }
nav button, .bar button, #notice button { background: none; border: 1px solid var(--line); color: var(--text); padding: 5px 10px; border-radius: 4px; cursor: pointer; font: inherit; }
nav button[aria-current="page"] { border-color: var(--accent); color: var(--accent); }
.controls { display: flex; gap: 10px 16px; align-items: center; margin-left: auto; flex-wrap: wrap; min-width: 0; }
.range { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; }
#custom-range { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; }
#custom-range[hidden], #variables:empty { display: none; }
select, summary, input { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; font: inherit; max-width: 100%; }
input[type="date"] { color-scheme: dark; }
details.variable { position: relative; }
details.variable summary { cursor: pointer; list-style: none; min-width: 140px; max-width: 60vw; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
details.variable .options { position: absolute; z-index: 10; background: var(--panel); border: 1px solid var(--line); padding: 6px 10px; max-height: 320px; overflow: auto; min-width: 220px; max-width: calc(100vw - 32px); }
details.variable label { display: block; white-space: nowrap; padding: 3px 0; }
.muted { color: var(--muted); font-size: 12px; }
.error { color: #ff7383; font-size: 12px; }
#banner, #notice { margin: 10px 16px 0; padding: 10px 14px; border-radius: 4px; }
#banner[hidden], #notice[hidden] { display: none; }
#banner.empty { background: #3d3200; color: #ffe08a; border: 1px solid #8a6d00; }
#banner.unreachable { background: #4a1114; color: #ffb3b8; border: 1px solid #a4262c; }
#banner code { word-break: break-all; background: #00000055; padding: 1px 4px; border-radius: 3px; }
#notice { background: #10263f; color: #b7d4f5; border: 1px solid #2f5f94; display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
#notice button { border-color: #5794f2; color: #fff; }
#grid { display: grid; grid-template-columns: repeat(24, minmax(0, 1fr)); grid-auto-rows: 34px; gap: 8px; padding: 12px 16px 24px; }
#grid > * { grid-column: var(--col); grid-row: var(--row); }
.row-title { grid-column: 1 / -1; align-self: end; font-size: 15px; font-weight: 600; margin: 0; border-bottom: 1px solid var(--line); padding-bottom: 2px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; display: flex; flex-direction: column; min-width: 0; min-height: 0; overflow: hidden; container-type: inline-size; }
.panel h3 { font-size: 13px; font-weight: 500; margin: 0; padding: 6px 10px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.panel .caption { margin: 2px 10px 0; font-size: 12px; color: var(--muted); line-height: 1.35; }
.panel .body { flex: 1; min-height: 0; position: relative; overflow: hidden; }
.panel .chart { position: absolute; inset: 0; }
.panel .message { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--muted); text-align: center; padding: 8px; }
.panel[data-state="error"] .message { color: #ff7383; }
.stat { display: flex; gap: 6px 24px; align-items: center; justify-content: center; height: 100%; padding: 4px 10px; flex-wrap: wrap; }
.stat .figure { min-width: 0; max-width: 100%; text-align: center; }
.stat .value { font-size: clamp(16px, 11cqi, 32px); font-weight: 600; color: #fff; white-space: nowrap; overflow: hidden; line-height: 1.2; }
.stat .name, .stat .comparison { font-size: 11px; color: var(--muted); overflow-wrap: anywhere; }
.stat .comparison[data-trend="1"] { color: #73bf69; }
.stat .comparison[data-trend="-1"] { color: #f2495c; }
.panel[data-width="wide"] .stat .value { font-size: clamp(16px, 6cqi, 28px); }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.table-wrap { position: absolute; inset: 0; overflow: auto; }
@media (max-width: 819px) {
  .bar { padding: 8px 10px; gap: 8px 12px; }
  .controls { margin-left: 0; width: 100%; }
  #banner, #notice { margin: 8px 10px 0; }
  #grid { grid-template-columns: repeat(2, minmax(0, 1fr)); grid-auto-rows: auto; gap: 8px; padding: 8px 10px 20px; }
  #grid > * { grid-column: 1 / -1; grid-row: auto; }
  #grid > .panel[data-panel-type="stat"][data-width="narrow"] { grid-column: span 1; }
  .row-title { margin-top: 8px; }
  .panel[data-panel-type="stat"] { min-height: 112px; }
  .panel:not([data-panel-type="stat"]) { height: max(280px, calc(var(--h) * 38px)); }
  .panel[data-panel-type="barchart"] .body { flex: none; height: max(240px, var(--content-px, 240px)); }
  .panel[data-panel-type="barchart"] { height: auto; }
  .panel[data-panel-type="table"] { height: 360px; }
}
`;
