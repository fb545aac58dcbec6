import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Target, warehouseDatasource } from '../panels/common.js';

/** Grafana refreshes at most this often: each refresh is a Redshift query per panel, and that costs money. */
const REFRESH_INTERVALS = ['30s', '1m', '5m', '15m', '1h'];

/** The common frame of both dashboards: tags, picker, UK time, shared crosshair. */
export function baseDashboard(options: { uid: string; title: string; description: string; target: Target; from: string; refresh: string }): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['supercafe', 'generated', options.target])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone('Europe/London')
    .time({ from: options.from, to: 'now' })
    .refresh(options.refresh)
    .timepicker(new dashboard.TimePickerBuilder().refreshIntervals(REFRESH_INTERVALS));
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
