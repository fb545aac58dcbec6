import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * A raw SQL panel query for the warehouse datasources. The foundation SDK has no
 * builder for the SQL datasources, so this one follows the SDK's custom-query
 * example. PostgreSQL and Redshift take the same SQL text but name the fields
 * differently: `rawSql` + `format: 'table'` (Grafana's PostgreSQL datasource)
 * versus `rawSQL` + `format: 1` (the Redshift plugin's FormatOptions.Table).
 */
export const SqlDialect = { Postgres: 'postgres', Redshift: 'redshift' } as const;
export type SqlDialect = (typeof SqlDialect)[keyof typeof SqlDialect];

/** Every panel asks for a table frame: time series panels read a table with a `time` column as well. */
const REDSHIFT_FORMAT_TABLE = 1;

interface PostgresSqlQuery extends Dataquery {
  refId: string;
  datasource: DataSourceRef;
  rawQuery: true;
  editorMode: 'code';
  format: 'table';
  rawSql: string;
}

interface RedshiftSqlQuery extends Dataquery {
  refId: string;
  datasource: DataSourceRef;
  format: typeof REDSHIFT_FORMAT_TABLE;
  rawSQL: string;
}

/** The panel query of either SQL datasource, as stored in the dashboard JSON. */
export type SqlQuery = PostgresSqlQuery | RedshiftSqlQuery;

/** Builds one SQL target (refId A unless told) for the given dialect. */
export class SqlQueryBuilder implements Builder<Dataquery> {
  private ref = 'A';

  constructor(
    private readonly dialect: SqlDialect,
    private readonly datasource: DataSourceRef,
    private readonly sql: string,
  ) {}

  refId(refId: string): this {
    this.ref = refId;
    return this;
  }

  build(): SqlQuery {
    // cog marks dataquery variants with this method; JSON.stringify drops it.
    const marker = { _implementsDataqueryVariant() {} };
    if (this.dialect === SqlDialect.Redshift) {
      return { ...marker, refId: this.ref, datasource: this.datasource, format: REDSHIFT_FORMAT_TABLE, rawSQL: this.sql };
    }
    return { ...marker, refId: this.ref, datasource: this.datasource, rawQuery: true, editorMode: 'code', format: 'table', rawSql: this.sql };
  }
}
