import { Evidence, PRICES, QUOTAS, type Figure } from './aws-figures.js';
import type { CapacityPlan } from './plan-capacity.js';

/** Text renderings of a plan: a terminal table and Markdown (docs/capacity.md). */

const usd = (value: number) => (value >= 100 ? `$${Math.round(value).toLocaleString('en-GB')}` : `$${value.toFixed(2)}`);
const num = (value: number, digits = 1) => (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-GB') : value.toFixed(digits));
const pct = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}%` : '—');
const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;

function table(headers: readonly string[], rows: readonly (readonly string[])[], markdown: boolean, align: readonly ('l' | 'r')[] = []): string {
  if (markdown) {
    const rule = headers.map((_, index) => (align[index] === 'r' ? '---:' : '---'));
    return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  }
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length)));
  const pad = (cells: readonly string[]) => cells.map((cell, index) => (align[index] === 'r' ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!))).join('  ');
  return [pad(headers), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(pad)].join('\n');
}

function sections(plan: CapacityPlan, markdown: boolean): string[] {
  const { inputs, volume, kinesis, lambda, firehose, redshift, latency } = plan;
  const heading = (text: string) => (markdown ? `#### ${text}` : `${text}\n${'═'.repeat(text.length)}`);
  const out: string[] = [];
  out.push(
    heading(`${inputs.workload.branches.toLocaleString('en-GB')} branches × ${inputs.workload.salesPerBranchPerDay} sales a day, ${Math.round(inputs.workload.tillShare * 100)}% on live tills, ${inputs.region}`),
    `${num(volume.salesPerDay, 0)} sales a day (${num(volume.salesPerMonth / 1e6, 2)} M a month): ${volume.filesPerNight.toLocaleString('en-GB')} nightly files, ${volume.tillBranches.toLocaleString('en-GB')} till branches (${volume.tills.toLocaleString('en-GB')} tills). Nightly peak ${num(volume.nightlyPeakSalesPerSecond)} sales/s; busiest till hour ${num(volume.tillPeakSalesPerSecond, 2)} sales/s.`,
    '',
    `Kinesis: ${kinesis.mode === 'ON_DEMAND' ? 'on demand' : 'provisioned'} (deployed); the nightly peak needs ${kinesis.shardsNeeded} shard(s) (${num(kinesis.peakWriteMiBPerSecond, 2)} MB/s, ${num(kinesis.peakWriteRecordsPerSecond)} records/s). On demand ${usd(kinesis.onDemandMonthlyUsd)}/month, provisioned ${usd(kinesis.provisionedMonthlyUsd)}/month: **${kinesis.recommendedMode === 'ON_DEMAND' ? 'on demand' : `provisioned, ${kinesis.shardsNeeded} shard(s)`}** is cheaper.`,
    `Redshift Serverless: ${num(redshift.rpuHoursPerDay)} RPU-hours a day at ${redshift.baseRpu} RPU (busy ${pct(redshift.busyShare.dashboardHours * 100)} of dashboard hours, ${pct(redshift.busyShare.tradingHours * 100)} of other trading hours, ${pct(redshift.busyShare.quietHours * 100)} of quiet hours), ${num(redshift.rpuHoursPerMonth, 0)} a month.`,
    `Upload to panel: typically ${minutes(latency.typicalSeconds)}, at worst ${minutes(latency.worstSeconds)} (${latency.steps.map((step) => `${step.step} ${Math.round(step.worstSeconds)} s`).join(', ')}).`,
    '',
  );
  out.push(
    table(
      ['Lambda function', 'peak concurrency', 'at the nightly peak', 'reserved', 'invocations/month', 'GB-s/month'],
      lambda.functions.map((fn) => [fn.name, String(fn.peakConcurrency), String(fn.nightlyConcurrency), fn.reservedConcurrency === undefined ? '—' : String(fn.reservedConcurrency), num(fn.invocationsPerMonth, 0), num(fn.gbSecondsPerMonth, 0)]),
      markdown,
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    table(
      ['Firehose stream at the nightly peak', 'records/s', 'MiB/s', 'requests/s'],
      firehose.peak.map((peak) => [peak.table, num(peak.recordsPerSecond), num(peak.mibPerSecond, 3), num(peak.requestsPerSecond, 2)]),
      markdown,
      ['l', 'r', 'r', 'r'],
    ),
    '',
    table(
      ['Quota', 'need', 'quota', 'headroom', ''],
      plan.quotas.map((quota) => [`${quota.service}: ${quota.what}`, `${num(quota.need, 2)} ${quota.unit}`, `${num(quota.quota, 0)}`, pct(quota.headroomPercent), quota.exceeded ? (markdown ? '**exceeded**' : 'EXCEEDED') : 'ok']),
      markdown,
      ['l', 'r', 'r', 'r', 'l'],
    ),
    '',
    table(
      ['Service', 'usage', 'USD/month'],
      [...plan.costs.map((cost) => [cost.service, cost.usage, `${usd(cost.monthlyUsd)}${cost.usesEstimate ? ' †' : ''}`]), [markdown ? '**Total**' : 'Total', '', markdown ? `**${usd(plan.totalMonthlyUsd)}**` : usd(plan.totalMonthlyUsd)]],
      markdown,
      ['l', 'l', 'r'],
    ),
  );
  if (plan.costs.some((cost) => cost.usesEstimate)) out.push('', `† uses a price estimated for ${inputs.region} from the us-east-1 figure (no ${inputs.region} reading was found); see the sources.`);
  if (plan.warnings.length > 0) out.push('', ...plan.warnings.map((warning) => `${markdown ? '- ' : '! '}${warning}`));
  return markdown ? out : out.map((text) => text.replace(/\*\*/g, ''));
}

/** A plan as terminal text. */
export function renderText(plan: CapacityPlan): string {
  return `${sections(plan, false).join('\n')}\n`;
}

/** A plan as Markdown (level-4 headings, so several plans sit under one section). */
export function renderMarkdown(plan: CapacityPlan): string {
  return `${sections(plan, true).join('\n')}\n`;
}

const evidenceLabel: Record<Figure['evidence'], string> = {
  [Evidence.AwsDocs]: 'AWS docs',
  [Evidence.AwsPriceList]: 'AWS Price List',
  [Evidence.ThirdParty]: 'AWS figure quoted by a third party',
  [Evidence.Estimate]: 'estimate',
};

function figureRow(name: string, figure: Figure): string[] {
  const via = [figure.via, figure.note].filter(Boolean).join('; ');
  return [name, `${figure.value} ${figure.unit}`, `${figure.source}`, figure.read, `${evidenceLabel[figure.evidence]}${via ? ` (${via})` : ''}`];
}

/** Every quota and price the planner uses, with its source, as Markdown tables. */
export function renderSourcesMarkdown(): string {
  const quotaRows: string[][] = [];
  for (const [region, quota] of Object.entries(QUOTAS.firehoseDirectPut)) {
    quotaRows.push(figureRow(`Firehose Direct PUT, ${region}: MiB/s`, quota.mibPerSecond), figureRow(`Firehose Direct PUT, ${region}: records/s`, quota.recordsPerSecond), figureRow(`Firehose Direct PUT, ${region}: requests/s`, quota.requestsPerSecond));
  }
  const scalar: [string, Figure][] = [
    ['Firehose PutRecordBatch', QUOTAS.firehosePutRecordBatchRecords],
    ['Firehose record size', QUOTAS.firehoseRecordMaxKiB],
    ['Firehose buffer interval, minimum', QUOTAS.firehoseBufferIntervalSeconds.min],
    ['Firehose buffer interval, maximum', QUOTAS.firehoseBufferIntervalSeconds.max],
    ['Kinesis shard write', QUOTAS.kinesisShardWriteMiBPerSecond],
    ['Kinesis shard write records', QUOTAS.kinesisShardWriteRecordsPerSecond],
    ['Kinesis shard read', QUOTAS.kinesisShardReadMiBPerSecond],
    ['Kinesis on-demand initial write', QUOTAS.kinesisOnDemandInitialWriteMiBPerSecond],
    ...Object.entries(QUOTAS.kinesisOnDemandMaxWriteMiBPerSecond).map(([region, figure]) => [`Kinesis on-demand maximum write, ${region}`, figure] as [string, Figure]),
    ['Lambda concurrency (default)', QUOTAS.lambdaAccountConcurrency],
    ['Lambda concurrency (new account)', QUOTAS.lambdaNewAccountConcurrency],
    ['Lambda unreserved minimum', QUOTAS.lambdaUnreservedMinimum],
    ['Lambda memory per vCPU', QUOTAS.lambdaMbPerVcpu],
    ['Redshift Serverless minimum charge', QUOTAS.redshiftMinimumChargeSeconds],
    ['Redshift Serverless base RPU, minimum', QUOTAS.redshiftBaseRpu.min],
    ['Redshift Serverless base RPU, maximum', QUOTAS.redshiftBaseRpu.max],
  ];
  quotaRows.push(...scalar.map(([name, figure]) => figureRow(name, figure)));
  const headers = ['Figure', 'Value', 'Source', 'Read', 'Evidence'];
  const out = ['#### Quotas and limits', '', table(headers, quotaRows, true)];
  for (const [region, prices] of Object.entries(PRICES)) {
    out.push('', `#### Prices, ${region}`, '', table(headers, Object.entries(prices).map(([key, figure]) => figureRow(key, figure as Figure)), true));
  }
  return `${out.join('\n')}\n`;
}
