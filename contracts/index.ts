export { RejectReason, RejectReasonSchema, FileRefusal, FileRefusalSchema } from './reject-reason.js';
export { isRejectReason, rejectReasonOf } from './reject-reason-of.js';
export type { RejectReasonCode, FileRefusalCode } from './reject-reason.js';
export { poundsToPence, penceToPounds } from './money.js';
export { SaleTimestampSchema, parseSaleTimestamp, londonWallClockToUtc, londonDateOf, isRealWallClock } from './local-time.js';
export { RawSaleSchema, ItemSize, PaymentMethod } from './raw-sale.js';
export type { RawSale, ParsedSale, ParsedSaleItem } from './raw-sale.js';
export {
  SCHEMA_VERSION,
  LEGACY_FILE_VERSION,
  FileVersionSchema,
  TransactionRecordedSchema,
  RowRejectedSchema,
  FileVersionIngestedSchema,
  SaleVoidedSchema,
  RefundRecordedSchema,
  RefundLineSchema,
  SalesStreamEventSchema,
  EventSourceSchema,
  FileLayout,
  FileLayoutSchema,
} from './transaction-recorded.js';
export type {
  TransactionRecorded,
  ParsedTransactionRecorded,
  RowRejected,
  FileVersionIngested,
  SaleVoided,
  RefundRecorded,
  RefundLine,
  SalesStreamEvent,
  ParsedSalesStreamEvent,
  EventSource,
} from './transaction-recorded.js';
export { SaleKind, SaleSchema, SaleItemSchema, SaleRecordSchema, SaleOriginSchema, SaleVoidSchema, QuarantineEntrySchema, IngestFileSchema } from './sale.js';
export type { Sale, SaleItem, SaleRecord, SaleOrigin, SaleVoid, QuarantineEntry, IngestFile } from './sale.js';
export {
  FileEncoding,
  FileEncodingSchema,
  Delimiter,
  DelimiterSchema,
  DELIMITER_CHARACTERS,
  QuoteStyle,
  QuoteStyleSchema,
  QUOTE_CHARACTERS,
  LineEndings,
  LineEndingsSchema,
  FileDialectSchema,
  SkipReason,
  LinesSkippedSchema,
  describeDialect,
} from './file-format.js';
export type { FileDialect, LinesSkipped } from './file-format.js';
export { upcastEvent } from './upcast.js';
export { keyedHash, sha256Hex } from './keyed-hash.js';
export { encodeStreamRecord, splitStreamRecord } from './stream-record.js';
export { METRICS_NAMESPACE, MetricName, ServiceName } from './metric-names.js';
export { WarehouseTables, createTableSql, columnSql, columnTypeSql, loadedColumns } from './warehouse-tables.js';
export type { TableDefinition, ColumnDefinition, ColumnType, SqlDialect, CreateTableOptions } from './warehouse-tables.js';
export type {
  ColumnValue,
  RowOf,
  WarehouseTableKey,
  WarehouseRows,
  SalesRow,
  SaleItemsRow,
  IngestFilesRow,
  QuarantineRow,
  SaleSourcesRow,
  TillSalesRow,
  FileVersionsRow,
} from './warehouse-tables.js';
export {
  MAX_SALES_PER_REQUEST,
  MAX_ITEMS_PER_SALE,
  TillSaleSchema,
  TillSaleItemSchema,
  TillSalesRequestSchema,
  TillSalesResponseSchema,
  TillErrorResponseSchema,
  TillSaleStatus,
} from './till-sale.js';
export type { TillSale, TillSaleItem, TillSalesRequest, TillSalesResponse, TillErrorResponse } from './till-sale.js';
export { FieldLimitBytes, utf8ByteLength, fitsBytes, boundedText } from './field-limits.js';
export type { FieldLimitName } from './field-limits.js';
export { MIGRATIONS_TABLE, MigrationMismatchError, planMigrations, tableAsOf, warehouseMigrations } from './warehouse-migrations.js';
export type { AppliedMigration, MigrationChange, WarehouseMigration } from './warehouse-migrations.js';
