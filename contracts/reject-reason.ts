import { z } from 'zod';

/**
 * Why a row, a till sale or an event was refused. Codes are stable: dashboards,
 * alarms and the quarantine table group by them. They never carry input text.
 */
export const RejectReason = {
  ColumnCount: 'column_count',
  DateUnparsable: 'date_unparsable',
  DateImpossible: 'date_impossible',
  BranchMissing: 'branch_missing',
  BasketEmpty: 'basket_empty',
  BasketMalformed: 'basket_malformed',
  SizeUnknown: 'size_unknown',
  ProductMissing: 'product_missing',
  PriceInvalid: 'price_invalid',
  TotalInvalid: 'total_invalid',
  TotalMismatch: 'total_mismatch',
  PaymentUnknown: 'payment_unknown',
  CardMissing: 'card_missing',
  FieldTooLong: 'field_too_long',
  /** A till reused one of its sale (or refund) ids for different content. */
  SaleIdConflict: 'sale_id_conflict',
  /** A row uploaded under one branch's folder names another branch (AWS uploads, `uploads/<branch>/`). */
  BranchMismatch: 'branch_mismatch',
  RowMalformed: 'row_malformed',
  /** The row holds bytes that are not text in the file's encoding (decoded as U+FFFD). */
  EncodingInvalid: 'encoding_invalid',
  EventMalformed: 'event_malformed',
  EventUnreadable: 'event_unreadable',
  SchemaVersionUnknown: 'schema_version_unknown',
} as const;

export const RejectReasonSchema = z.enum(Object.values(RejectReason) as [RejectReasonCode, ...RejectReasonCode[]]);

type RejectReasonCode = (typeof RejectReason)[keyof typeof RejectReason];

/**
 * Why a whole file was refused (before its rows were read, or part way through).
 * The refusal's message tells the branch what to do, e.g. how to re-save the file.
 */
export const FileRefusal = {
  Unreadable: 'file_unreadable',
  Binary: 'file_binary',
  Compressed: 'file_compressed',
  /** Text in an encoding that cannot be told from its bytes (UTF-16 without a byte-order mark, UTF-32). */
  Encoding: 'file_encoding_invalid',
  /** No line has the layout's columns with any separator and quote the ingest reads. */
  DialectUnknown: 'file_dialect_unknown',
  Empty: 'file_empty',
} as const;

export const FileRefusalSchema = z.enum(Object.values(FileRefusal) as [FileRefusalCode, ...FileRefusalCode[]]);

type FileRefusalCode = (typeof FileRefusal)[keyof typeof FileRefusal];

export type { RejectReasonCode, FileRefusalCode };
