import { WarehouseTables, type IngestFile, type QuarantineEntry, type Sale, type SaleItem } from '../../contracts/index.js';

/**
 * Clean records as warehouse rows keyed by column name, in the column order of the
 * table definitions. Both sinks use these: Postgres binds them, Firehose sends them
 * as the JSON that Redshift COPY loads with `json 'auto'`.
 */
export type WarehouseRow = Record<string, string | number | null>;

export function saleRow(sale: Sale): WarehouseRow {
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
  };
}

export function saleItemRow(item: SaleItem): WarehouseRow {
  return {
    event_id: item.eventId,
    line_no: item.lineNo,
    size: item.size,
    product: item.product,
    flavour: item.flavour,
    price_pence: item.pricePence,
  };
}

export function quarantineRow(entry: QuarantineEntry): WarehouseRow {
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

export function ingestFileRow(file: IngestFile): WarehouseRow {
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
  };
}

export { WarehouseTables };
