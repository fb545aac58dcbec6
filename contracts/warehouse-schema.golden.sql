-- Golden contract of the warehouse schema (contracts/warehouse-schema.golden.test.ts). Generated; review every diff.

-- ===== Tables as they stand =====

-- sales: sales, since version 1. One row per transaction. No customer name or card number.
-- Loaded columns (sinks, COPY): event_id,branch,sold_at,business_date,total_pence,payment_method,card_brand,customer_key,item_count,source,source_ref,recorded_at,loaded_at,kind,refund_of
-- Redshift:
CREATE TABLE IF NOT EXISTS sales (
  event_id VARCHAR(32) NOT NULL,
  branch VARCHAR(128) NOT NULL,
  sold_at TIMESTAMPTZ NOT NULL,
  business_date DATE NOT NULL,
  total_pence INTEGER NOT NULL,
  payment_method VARCHAR(8) NOT NULL,
  card_brand VARCHAR(16),
  customer_key VARCHAR(64),
  item_count SMALLINT NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  merged_at TIMESTAMPTZ,
  kind VARCHAR(8),
  refund_of VARCHAR(32),
  PRIMARY KEY (event_id)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (sold_at);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS sales (
  event_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  sold_at TIMESTAMPTZ NOT NULL,
  business_date DATE NOT NULL,
  total_pence INTEGER NOT NULL,
  payment_method TEXT NOT NULL,
  card_brand TEXT,
  customer_key TEXT,
  item_count SMALLINT NOT NULL,
  source TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  merged_at TIMESTAMPTZ GENERATED ALWAYS AS (loaded_at) STORED,
  kind TEXT,
  refund_of TEXT,
  PRIMARY KEY (event_id)
);

-- saleItems: sale_items, since version 1. One row per basket line; a repeated item is a separate line.
-- Loaded columns (sinks, COPY): event_id,line_no,size,product,flavour,price_pence
-- Redshift:
CREATE TABLE IF NOT EXISTS sale_items (
  event_id VARCHAR(32) NOT NULL,
  line_no SMALLINT NOT NULL,
  size VARCHAR(16),
  product VARCHAR(128) NOT NULL,
  flavour VARCHAR(128),
  price_pence INTEGER NOT NULL,
  PRIMARY KEY (event_id, line_no)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS sale_items (
  event_id TEXT NOT NULL,
  line_no SMALLINT NOT NULL,
  size TEXT,
  product TEXT NOT NULL,
  flavour TEXT,
  price_pence INTEGER NOT NULL,
  PRIMARY KEY (event_id, line_no)
);

-- ingestFiles: ingest_files, since version 1. What became of each uploaded file: one row per file, the latest run.
-- Loaded columns (sinks, COPY): file,branch,business_date,layout,rows_read,events_published,rows_rejected,lines_skipped,status,refusal,started_at,finished_at,encoding,dialect,line_endings,lines,lines_blank,lines_header,lines_preamble,lines_footnote,lines_continued,version
-- Redshift:
CREATE TABLE IF NOT EXISTS ingest_files (
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding VARCHAR(16),
  dialect VARCHAR(64),
  line_endings VARCHAR(8),
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  version VARCHAR(64),
  PRIMARY KEY (file)
)
DISTSTYLE AUTO
SORTKEY (finished_at);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS ingest_files (
  file TEXT NOT NULL,
  branch TEXT,
  business_date DATE,
  layout TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status TEXT NOT NULL,
  refusal TEXT,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding TEXT,
  dialect TEXT,
  line_endings TEXT,
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  version TEXT,
  PRIMARY KEY (file)
);

-- quarantine: quarantine, since version 1. One row per rejected row, till sale or event: where and why, never what it said.
-- Loaded columns (sinks, COPY): event_id,source,source_ref,line,reason,field,recorded_at
-- Redshift:
CREATE TABLE IF NOT EXISTS quarantine (
  event_id VARCHAR(32) NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  line INTEGER,
  reason VARCHAR(32) NOT NULL,
  field VARCHAR(128),
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
)
DISTSTYLE AUTO
SORTKEY (recorded_at);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS quarantine (
  event_id TEXT NOT NULL,
  source TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  line INTEGER,
  reason TEXT NOT NULL,
  field TEXT,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
);

-- saleSources: sale_sources, since version 3. One row per sale per file version that held it (the rows of superseded versions are pruned).
-- Loaded columns (sinks, COPY): file,version,event_id,line,match_key
-- Redshift:
CREATE TABLE IF NOT EXISTS sale_sources (
  file VARCHAR(1024) NOT NULL,
  version VARCHAR(64) NOT NULL,
  event_id VARCHAR(32) NOT NULL,
  line INTEGER,
  match_key VARCHAR(32) NOT NULL,
  PRIMARY KEY (file, event_id, version)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (file);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS sale_sources (
  file TEXT NOT NULL,
  version TEXT NOT NULL,
  event_id TEXT NOT NULL,
  line INTEGER,
  match_key TEXT NOT NULL,
  PRIMARY KEY (file, event_id, version)
);

-- tillSales: till_sales, since version 3. One row per till sale or refund: its match key and, once voided, the void.
-- Loaded columns (sinks, COPY): event_id,kind,match_key,voided_by,voided_at
-- Redshift:
CREATE TABLE IF NOT EXISTS till_sales (
  event_id VARCHAR(32) NOT NULL,
  kind VARCHAR(8),
  match_key VARCHAR(32),
  voided_by VARCHAR(32),
  voided_at TIMESTAMPTZ,
  PRIMARY KEY (event_id)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS till_sales (
  event_id TEXT NOT NULL,
  kind TEXT,
  match_key TEXT,
  voided_by TEXT,
  voided_at TIMESTAMPTZ,
  PRIMARY KEY (event_id)
);

-- fileVersions: file_versions, since version 3. Every version of every uploaded file: its account, and whether it is the file's current version.
-- Loaded columns (sinks, COPY): version,is_current,file,branch,business_date,layout,rows_read,events_published,rows_rejected,lines_skipped,status,refusal,started_at,finished_at,encoding,dialect,line_endings,lines,lines_blank,lines_header,lines_preamble,lines_footnote,lines_continued
-- Redshift:
CREATE TABLE IF NOT EXISTS file_versions (
  version VARCHAR(64) NOT NULL,
  is_current SMALLINT NOT NULL,
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding VARCHAR(16),
  dialect VARCHAR(64),
  line_endings VARCHAR(8),
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  PRIMARY KEY (file, version)
)
DISTSTYLE AUTO
SORTKEY (finished_at);
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS file_versions (
  version TEXT NOT NULL,
  is_current SMALLINT NOT NULL,
  file TEXT NOT NULL,
  branch TEXT,
  business_date DATE,
  layout TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status TEXT NOT NULL,
  refusal TEXT,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding TEXT,
  dialect TEXT,
  line_endings TEXT,
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  PRIMARY KEY (file, version)
);

-- ===== Migrations, as each warehouse runs them =====

-- Migration 1 (fingerprint f7989118): create sales; create sale_items; create ingest_files; create quarantine
-- Redshift:
CREATE TABLE IF NOT EXISTS sales (
  event_id VARCHAR(32) NOT NULL,
  branch VARCHAR(128) NOT NULL,
  sold_at TIMESTAMPTZ NOT NULL,
  business_date DATE NOT NULL,
  total_pence INTEGER NOT NULL,
  payment_method VARCHAR(8) NOT NULL,
  card_brand VARCHAR(16),
  customer_key VARCHAR(64),
  item_count SMALLINT NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (sold_at);
CREATE TABLE IF NOT EXISTS stage_sales (
  event_id VARCHAR(32) NOT NULL,
  branch VARCHAR(128) NOT NULL,
  sold_at TIMESTAMPTZ NOT NULL,
  business_date DATE NOT NULL,
  total_pence INTEGER NOT NULL,
  payment_method VARCHAR(8) NOT NULL,
  card_brand VARCHAR(16),
  customer_key VARCHAR(64),
  item_count SMALLINT NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (sold_at);
CREATE TABLE IF NOT EXISTS sale_items (
  event_id VARCHAR(32) NOT NULL,
  line_no SMALLINT NOT NULL,
  size VARCHAR(16),
  product VARCHAR(128) NOT NULL,
  flavour VARCHAR(128),
  price_pence INTEGER NOT NULL,
  PRIMARY KEY (event_id, line_no)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
CREATE TABLE IF NOT EXISTS stage_sale_items (
  event_id VARCHAR(32) NOT NULL,
  line_no SMALLINT NOT NULL,
  size VARCHAR(16),
  product VARCHAR(128) NOT NULL,
  flavour VARCHAR(128),
  price_pence INTEGER NOT NULL
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
CREATE TABLE IF NOT EXISTS ingest_files (
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (file)
)
DISTSTYLE AUTO
SORTKEY (finished_at);
CREATE TABLE IF NOT EXISTS stage_ingest_files (
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL
)
DISTSTYLE AUTO
SORTKEY (finished_at);
CREATE TABLE IF NOT EXISTS quarantine (
  event_id VARCHAR(32) NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  line INTEGER,
  reason VARCHAR(32) NOT NULL,
  field VARCHAR(128),
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
)
DISTSTYLE AUTO
SORTKEY (recorded_at);
CREATE TABLE IF NOT EXISTS stage_quarantine (
  event_id VARCHAR(32) NOT NULL,
  source VARCHAR(8) NOT NULL,
  source_ref VARCHAR(1024) NOT NULL,
  line INTEGER,
  reason VARCHAR(32) NOT NULL,
  field VARCHAR(128),
  recorded_at TIMESTAMPTZ NOT NULL
)
DISTSTYLE AUTO
SORTKEY (recorded_at);
INSERT INTO schema_migrations (version, description, fingerprint, applied_at) VALUES (1, 'create sales; create sale_items; create ingest_files; create quarantine', 'f7989118', GETDATE());
-- PostgreSQL:
CREATE TABLE IF NOT EXISTS sales (
  event_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  sold_at TIMESTAMPTZ NOT NULL,
  business_date DATE NOT NULL,
  total_pence INTEGER NOT NULL,
  payment_method TEXT NOT NULL,
  card_brand TEXT,
  customer_key TEXT,
  item_count SMALLINT NOT NULL,
  source TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
);;
CREATE TABLE IF NOT EXISTS sale_items (
  event_id TEXT NOT NULL,
  line_no SMALLINT NOT NULL,
  size TEXT,
  product TEXT NOT NULL,
  flavour TEXT,
  price_pence INTEGER NOT NULL,
  PRIMARY KEY (event_id, line_no)
);;
CREATE TABLE IF NOT EXISTS ingest_files (
  file TEXT NOT NULL,
  branch TEXT,
  business_date DATE,
  layout TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status TEXT NOT NULL,
  refusal TEXT,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (file)
);;
CREATE TABLE IF NOT EXISTS quarantine (
  event_id TEXT NOT NULL,
  source TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  line INTEGER,
  reason TEXT NOT NULL,
  field TEXT,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id)
);;

-- Migration 2 (fingerprint 9fc05c33): add sales.merged_at; add ingest_files.encoding; add ingest_files.dialect; add ingest_files.line_endings; add ingest_files.lines; add ingest_files.lines_blank; add ingest_files.lines_header; add ingest_files.lines_preamble; add ingest_files.lines_footnote; add ingest_files.lines_continued
-- Redshift:
ALTER TABLE sales ADD COLUMN merged_at TIMESTAMPTZ;
ALTER TABLE stage_sales ADD COLUMN merged_at TIMESTAMPTZ;
ALTER TABLE ingest_files ADD COLUMN encoding VARCHAR(16);
ALTER TABLE stage_ingest_files ADD COLUMN encoding VARCHAR(16);
ALTER TABLE ingest_files ADD COLUMN dialect VARCHAR(64);
ALTER TABLE stage_ingest_files ADD COLUMN dialect VARCHAR(64);
ALTER TABLE ingest_files ADD COLUMN line_endings VARCHAR(8);
ALTER TABLE stage_ingest_files ADD COLUMN line_endings VARCHAR(8);
ALTER TABLE ingest_files ADD COLUMN lines INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines INTEGER;
ALTER TABLE ingest_files ADD COLUMN lines_blank INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines_blank INTEGER;
ALTER TABLE ingest_files ADD COLUMN lines_header INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines_header INTEGER;
ALTER TABLE ingest_files ADD COLUMN lines_preamble INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines_preamble INTEGER;
ALTER TABLE ingest_files ADD COLUMN lines_footnote INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines_footnote INTEGER;
ALTER TABLE ingest_files ADD COLUMN lines_continued INTEGER;
ALTER TABLE stage_ingest_files ADD COLUMN lines_continued INTEGER;
INSERT INTO schema_migrations (version, description, fingerprint, applied_at) VALUES (2, 'add sales.merged_at; add ingest_files.encoding; add ingest_files.dialect; add ingest_files.line_endings; add ingest_files.lines; add ingest_files.lines_blank; add ingest_files.lines_header; add ingest_files.lines_preamble; add ingest_files.lines_footnote; add ingest_files.lines_continued', '9fc05c33', GETDATE());
-- PostgreSQL:
ALTER TABLE sales ADD COLUMN IF NOT EXISTS merged_at TIMESTAMPTZ GENERATED ALWAYS AS (loaded_at) STORED;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS encoding TEXT;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS dialect TEXT;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS line_endings TEXT;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines INTEGER;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines_blank INTEGER;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines_header INTEGER;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines_preamble INTEGER;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines_footnote INTEGER;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS lines_continued INTEGER;

-- Migration 3 (fingerprint d8e2783b): add sales.kind; add sales.refund_of; add ingest_files.version; create sale_sources; create till_sales; create file_versions
-- Redshift:
ALTER TABLE sales ADD COLUMN kind VARCHAR(8);
ALTER TABLE stage_sales ADD COLUMN kind VARCHAR(8);
ALTER TABLE sales ADD COLUMN refund_of VARCHAR(32);
ALTER TABLE stage_sales ADD COLUMN refund_of VARCHAR(32);
ALTER TABLE ingest_files ADD COLUMN version VARCHAR(64);
ALTER TABLE stage_ingest_files ADD COLUMN version VARCHAR(64);
CREATE TABLE IF NOT EXISTS sale_sources (
  file VARCHAR(1024) NOT NULL,
  version VARCHAR(64) NOT NULL,
  event_id VARCHAR(32) NOT NULL,
  line INTEGER,
  match_key VARCHAR(32) NOT NULL,
  PRIMARY KEY (file, event_id, version)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (file);
CREATE TABLE IF NOT EXISTS stage_sale_sources (
  file VARCHAR(1024) NOT NULL,
  version VARCHAR(64) NOT NULL,
  event_id VARCHAR(32) NOT NULL,
  line INTEGER,
  match_key VARCHAR(32) NOT NULL
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (file);
CREATE TABLE IF NOT EXISTS till_sales (
  event_id VARCHAR(32) NOT NULL,
  kind VARCHAR(8),
  match_key VARCHAR(32),
  voided_by VARCHAR(32),
  voided_at TIMESTAMPTZ,
  PRIMARY KEY (event_id)
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
CREATE TABLE IF NOT EXISTS stage_till_sales (
  event_id VARCHAR(32) NOT NULL,
  kind VARCHAR(8),
  match_key VARCHAR(32),
  voided_by VARCHAR(32),
  voided_at TIMESTAMPTZ
)
DISTSTYLE KEY DISTKEY (event_id)
SORTKEY (event_id);
CREATE TABLE IF NOT EXISTS file_versions (
  version VARCHAR(64) NOT NULL,
  is_current SMALLINT NOT NULL,
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding VARCHAR(16),
  dialect VARCHAR(64),
  line_endings VARCHAR(8),
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  PRIMARY KEY (file, version)
)
DISTSTYLE AUTO
SORTKEY (finished_at);
CREATE TABLE IF NOT EXISTS stage_file_versions (
  version VARCHAR(64) NOT NULL,
  is_current SMALLINT NOT NULL,
  file VARCHAR(1024) NOT NULL,
  branch VARCHAR(128),
  business_date DATE,
  layout VARCHAR(16) NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  refusal VARCHAR(32),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding VARCHAR(16),
  dialect VARCHAR(64),
  line_endings VARCHAR(8),
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER
)
DISTSTYLE AUTO
SORTKEY (finished_at);
INSERT INTO schema_migrations (version, description, fingerprint, applied_at) VALUES (3, 'add sales.kind; add sales.refund_of; add ingest_files.version; create sale_sources; create till_sales; create file_versions', 'd8e2783b', GETDATE());
-- PostgreSQL:
ALTER TABLE sales ADD COLUMN IF NOT EXISTS kind TEXT;
ALTER TABLE sales ADD COLUMN IF NOT EXISTS refund_of TEXT;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS version TEXT;
CREATE TABLE IF NOT EXISTS sale_sources (
  file TEXT NOT NULL,
  version TEXT NOT NULL,
  event_id TEXT NOT NULL,
  line INTEGER,
  match_key TEXT NOT NULL,
  PRIMARY KEY (file, event_id, version)
);;
CREATE TABLE IF NOT EXISTS till_sales (
  event_id TEXT NOT NULL,
  kind TEXT,
  match_key TEXT,
  voided_by TEXT,
  voided_at TIMESTAMPTZ,
  PRIMARY KEY (event_id)
);;
CREATE TABLE IF NOT EXISTS file_versions (
  version TEXT NOT NULL,
  is_current SMALLINT NOT NULL,
  file TEXT NOT NULL,
  branch TEXT,
  business_date DATE,
  layout TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  events_published INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  lines_skipped INTEGER NOT NULL,
  status TEXT NOT NULL,
  refusal TEXT,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  encoding TEXT,
  dialect TEXT,
  line_endings TEXT,
  lines INTEGER,
  lines_blank INTEGER,
  lines_header INTEGER,
  lines_preamble INTEGER,
  lines_footnote INTEGER,
  lines_continued INTEGER,
  PRIMARY KEY (file, version)
);;
