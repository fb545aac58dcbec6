import type { ViewerDashboard } from '../dashboard-model.js';
import type { ViewerStatus } from '../plugin.js';
import type { Frame as BaseFrame } from '../run-query.js';

export type { ViewerDashboard };
export type Status = ViewerStatus;

/** A panel's rows, and the absolute range the server resolved (epoch ms). */
export type Frame = BaseFrame & { readonly range?: { readonly from: number; readonly to: number } };
export type ViewerPanel = ViewerDashboard['panels'][number];

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export const fetchDashboards = () => getJson<ViewerDashboard[]>('/viewer/api/dashboards');
/** Warehouse status; the newest sale is that of the given branches (every branch for none or All). */
export function fetchStatus(branches: readonly string[] = []): Promise<Status> {
  const query = new URLSearchParams();
  for (const branch of branches) query.append('branch', branch);
  return getJson<Status>(`/viewer/api/status?${query.toString()}`);
}
export const fetchOptions = (uid: string, name: string) =>
  getJson<{ options: string[] }>(`/viewer/api/dashboards/${encodeURIComponent(uid)}/variables/${encodeURIComponent(name)}`).then((body) => body.options);

/** One panel's data: the server runs the panel's own SQL for this range and these selections. */
export function fetchPanel(uid: string, panelId: number, range: { from: string; to: string }, selections: Readonly<Record<string, readonly string[]>>): Promise<Frame> {
  const query = new URLSearchParams({ from: range.from, to: range.to });
  for (const [name, values] of Object.entries(selections)) for (const value of values) query.append(name, value);
  return getJson<Frame>(`/viewer/api/dashboards/${encodeURIComponent(uid)}/panels/${panelId}?${query.toString()}`);
}
