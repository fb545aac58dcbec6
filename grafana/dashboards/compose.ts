import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Target, warehouseDatasource } from '../panels/common.js';

/**
 * The refresh intervals Grafana offers, per target. In AWS every refresh is a
 * Redshift query per panel, billed while Redshift Serverless runs, so nothing
 * refreshes more often than every 5 minutes there; the local PostgreSQL costs
 * nothing to ask (and the localhost viewer refreshes every few seconds).
 */
export const REFRESH_INTERVALS: Readonly<Record<Target, readonly string[]>> = {
  [Target.Aws]: ['5m', '15m', '30m', '1h'],
  [Target.Local]: ['30s', '1m', '5m', '15m', '1h'],
};

/** The dashboards' time zone: the cafés are in the UK, so "today" is a London day. */
export const DASHBOARD_TIME_ZONE = 'Europe/London';

/**
 * The ranges a café thinks in, as Grafana's own date math (rounded in the
 * dashboard's time zone). "Today" and "This month" run to now, so the
 * week-earlier comparison compares like with like (the same hours). Grafana
 * lists them as the picker's quick ranges; the localhost viewer reads the same
 * list from the JSON, and adds a custom from–to.
 */
export interface QuickRange {
  readonly display: string;
  readonly from: string;
  readonly to: string;
}

export const CAFE_RANGES: readonly QuickRange[] = [
  { display: 'Today', from: 'now/d', to: 'now' },
  { display: 'Yesterday', from: 'now-1d/d', to: 'now-1d/d' },
  { display: 'Last 7 days', from: 'now-7d', to: 'now' },
  { display: 'Last 30 days', from: 'now-30d', to: 'now' },
  { display: 'This month', from: 'now/M', to: 'now' },
];

/** The operators' ranges: a pipeline is watched by the hour. */
export const OPERATIONS_RANGES: readonly QuickRange[] = [
  { display: 'Last hour', from: 'now-1h', to: 'now' },
  { display: 'Last 6 hours', from: 'now-6h', to: 'now' },
  { display: 'Last 24 hours', from: 'now-24h', to: 'now' },
  { display: 'Last 7 days', from: 'now-7d', to: 'now' },
];

/** The common frame of both dashboards: tags, picker (refresh intervals and quick ranges), UK time, shared crosshair. */
export function baseDashboard(options: { uid: string; title: string; description: string; target: Target; from: string; refresh: Readonly<Record<Target, string>>; ranges: readonly QuickRange[] }): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['supercafe', 'generated', options.target])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone(DASHBOARD_TIME_ZONE)
    .time({ from: options.from, to: 'now' })
    .refresh(options.refresh[options.target])
    .timepicker(
      new dashboard.TimePickerBuilder()
        .refreshIntervals([...REFRESH_INTERVALS[options.target]])
        .quickRanges(options.ranges.map((range) => new dashboard.TimeOptionBuilder().display(range.display).from(range.from).to(range.to))),
    );
}

/**
 * `$branch`: every branch that has sold anything, multi-select with All. Grafana's
 * PostgreSQL datasource stores a variable query as SQL text; the Redshift plugin's
 * variable editor stores its own query model.
 */
export function branchVariable(target: Target): dashboard.QueryVariableBuilder {
  const sql = 'SELECT DISTINCT branch FROM sales ORDER BY branch';
  return new dashboard.QueryVariableBuilder('branch')
    .label('Branch')
    .description('Branches to include (All: every branch that has sales).')
    .datasource(warehouseDatasource(target))
    .query(target === Target.Aws ? { refId: 'branch', rawSQL: sql, format: 1 } : sql)
    .definition(sql)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: 'All', value: '$__all' })
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc);
}

/** A free-text variable for an AWS resource name (CDK generates them; the provisioning step or a person fills them in). */
export function resourceVariable(name: string, label: string, description: string, value: string): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(name).label(label).description(description).defaultValue(value).current({ selected: true, text: value, value });
}

/**
 * Numbers the panels in layout order, and gives each panel its targets'
 * datasource when they share one (Grafana shows "Mixed" otherwise). Ids are what
 * the localhost viewer asks for ("run panel 3 of this dashboard"), so they must
 * be stable and unique.
 */
export function numberPanels(built: dashboard.Dashboard): dashboard.Dashboard {
  built.panels?.forEach((panel, index) => {
    panel.id = index + 1;
    if (panel.type === 'row' || !('targets' in panel)) return;
    const sources = new Set((panel.targets ?? []).map((target) => JSON.stringify((target as { datasource?: unknown }).datasource)));
    const [only] = sources;
    if (sources.size === 1 && only) panel.datasource = JSON.parse(only) as dashboard.Panel['datasource'];
  });
  return built;
}
