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
    <label>Time range <select id="range"></select></label>
    <span id="updated" class="muted" aria-live="polite"></span>
  </div>
</header>
<div id="banner" role="status" hidden></div>
<main id="grid"></main>
<script src="/viewer/echarts.min.js"></script>
<script src="/viewer/app.js"></script>
</body>
</html>
`;

export const VIEWER_STYLE = `
:root { --bg: #111217; --panel: #181b1f; --text: #ccccdc; --muted: #8e8e9e; --line: #2c3235; --accent: #ff9830; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.4 system-ui, sans-serif; }
.bar { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 10px 16px; border-bottom: 1px solid var(--line); }
.bar h1 { font-size: 18px; margin: 0; color: var(--accent); }
nav button { background: none; border: 1px solid var(--line); color: var(--text); padding: 5px 10px; border-radius: 4px; cursor: pointer; margin-right: 6px; }
nav button[aria-current="page"] { border-color: var(--accent); color: var(--accent); }
.controls { display: flex; gap: 16px; align-items: center; margin-left: auto; flex-wrap: wrap; }
select, summary { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
details.variable { position: relative; }
details.variable summary { cursor: pointer; list-style: none; min-width: 160px; }
details.variable .options { position: absolute; z-index: 10; background: var(--panel); border: 1px solid var(--line); padding: 6px 10px; max-height: 320px; overflow: auto; min-width: 220px; }
details.variable label { display: block; white-space: nowrap; padding: 2px 0; }
.muted { color: var(--muted); font-size: 12px; }
#banner { margin: 10px 16px 0; padding: 10px 14px; border-radius: 4px; }
#banner.empty { background: #3d3200; color: #ffe08a; border: 1px solid #8a6d00; }
#banner.unreachable { background: #4a1114; color: #ffb3b8; border: 1px solid #a4262c; }
#grid { display: grid; grid-template-columns: repeat(24, 1fr); grid-auto-rows: 34px; gap: 8px; padding: 12px 16px 24px; }
.row-title { grid-column: 1 / -1; align-self: end; font-size: 15px; font-weight: 600; border-bottom: 1px solid var(--line); padding-bottom: 2px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.panel h2 { font-size: 13px; font-weight: 500; margin: 0; padding: 6px 10px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.panel .body { flex: 1; min-height: 0; position: relative; overflow: hidden; }
.panel .chart { position: absolute; inset: 0; }
.panel .message { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--muted); text-align: center; padding: 8px; }
.panel[data-state="error"] .message { color: #ff7383; }
.stat { display: flex; gap: 24px; align-items: center; justify-content: center; height: 100%; padding: 0 10px; flex-wrap: wrap; }
.stat .value { font-size: 28px; font-weight: 600; color: #fff; }
.stat .name { font-size: 11px; color: var(--muted); text-align: center; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.table-wrap { position: absolute; inset: 0; overflow: auto; }
`;
