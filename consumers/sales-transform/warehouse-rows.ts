import {
  LEGACY_FILE_VERSION,
  WarehouseTables,
  type IngestFile,
  type IngestFilesRow,
  type QuarantineEntry,
  type QuarantineRow,
  type Sale,
  type SaleItem,
  type FileVersionsRow,
  type SaleItemsRow,
  type SaleRecord,
  type SaleSourcesRow,
  type SalesRow,
  type SaleVoid,
  type TillSalesRow,
  type WarehouseRows,
  type WarehouseTableKey,
} from '../../contracts/index.js';
import type { ProjectionBatch } from './ports.js';

/**
 * Clean records as warehouse rows keyed by column name. Each row's type is derived
 * from its table's definition (`RowOf` in contracts/warehouse-tables.ts), so a
 * mapping below that misspells or forgets a column does not compile. Both sinks use
 * these: Postgres binds them, Firehose sends them as the JSON that Redshift COPY
 * loads with `json 'auto'`.
 */

/** One sale's row in `sales`. */
export function saleRow(sale: Sale): SalesRow {
  return {
    event_id: sale.eventId,
    branch: sale.branch,
    sold_at: sale.soldAt,
    business_date: sale.businessDate,
    total_pence: sale.totalPence,
    payment_method: sale.paymentMethod,
    card_brand: sale.cardBrand,
    customer_key: sale.customerKey,
    item_count: sale.itemCount,
    source: sale.source,
    source_ref: sale.sourceRef,
    recorded_at: sale.recordedAt,
    loaded_at: sale.loadedAt,
    kind: sale.kind,
    refund_of: sale.refundOf,
  };
}

/** One basket line's row in `sale_items`. */
export function saleItemRow(item: SaleItem): SaleItemsRow {
  return {
    event_id: item.eventId,
    line_no: item.lineNo,
    size: item.size,
    product: item.product,
    flavour: item.flavour,
    price_pence: item.pricePence,
  };
}

/** One rejected row or event's row in `quarantine`. */
export function quarantineRow(entry: QuarantineEntry): QuarantineRow {
  return {
    event_id: entry.eventId,
    source: entry.source,
    source_ref: entry.sourceRef,
    line: entry.line,
    reason: entry.reason,
    field: entry.field,
    recorded_at: entry.recordedAt,
  };
}

/** One file's account as its row in `ingest_files`. */
export function ingestFileRow(file: IngestFile): IngestFilesRow {
  return {
    file: file.file,
    branch: file.branch,
    business_date: file.businessDate,
    layout: file.layout,
    rows_read: file.rowsRead,
    events_published: file.eventsPublished,
    rows_rejected: file.rowsRejected,
    lines_skipped: file.linesSkipped,
    status: file.status,
    refusal: file.refusal,
    started_at: file.startedAt,
    finished_at: file.finishedAt,
    encoding: file.encoding ?? null,
    dialect: file.dialect ?? null,
    line_endings: file.lineEndings ?? null,
    lines: file.lines ?? null,
    lines_blank: file.linesBlank ?? null,
    lines_header: file.linesHeader ?? null,
    lines_preamble: file.linesPreamble ?? null,
    lines_footnote: file.linesFootnote ?? null,
    lines_continued: file.linesContinued ?? null,
    version: file.version ?? null,
  };
}

/**
 * One file version's row in `file_versions`. Whether it is the current version is
 * for the fold to say (it knows the other versions): written 0 here.
 */
export function fileVersionRow(file: IngestFile): FileVersionsRow {
  return { ...ingestFileRow(file), version: file.version ?? LEGACY_FILE_VERSION, is_current: 0 };
}

/** A file row's membership of its file version in `sale_sources`; none for a till sale or refund. */
export function saleSourceRow({ sale, origin }: SaleRecord): SaleSourcesRow | undefined {
  if (origin.kind !== 'file') return undefined;
  return { file: origin.file, version: origin.version, event_id: sale.eventId, line: origin.line, match_key: origin.matchKey };
}

/** A till sale's or refund's row in `till_sales`; none for a file row. */
export function tillSaleRow({ sale, origin }: SaleRecord): TillSalesRow | undefined {
  if (origin.kind !== 'till') return undefined;
  return { event_id: sale.eventId, kind: sale.kind, match_key: origin.matchKey, voided_by: null, voided_at: null };
}

/** A void as the `till_sales` row it marks (kind and key unknown here: the sale's own row has them). */
export function voidRow(entry: SaleVoid): TillSalesRow {
  return { event_id: entry.saleEventId, kind: null, match_key: null, voided_by: entry.voidEventId, voided_at: entry.recordedAt };
}

/** A projection batch as the rows of each table, keyed as `WarehouseTables` is. */
export type WarehouseRowBatch = { readonly [K in WarehouseTableKey]: readonly WarehouseRows[K][] };

/** Every row a projection batch adds, table by table (a sale gives one `sales` row and one `sale_items` row per line). */
export function warehouseRows(batch: ProjectionBatch): WarehouseRowBatch {
  return {
    sales: batch.sales.map(({ sale }) => saleRow(sale)),
    saleItems: batch.sales.flatMap(({ items }) => items.map(saleItemRow)),
    ingestFiles: batch.files.map(ingestFileRow),
    quarantine: batch.quarantine.map(quarantineRow),
    saleSources: batch.sales.flatMap((record) => saleSourceRow(record) ?? []),
    tillSales: [...batch.sales.flatMap((record) => tillSaleRow(record) ?? []), ...batch.voids.map(voidRow)],
    fileVersions: batch.files.map(fileVersionRow),
  };
}

export { WarehouseTables };
