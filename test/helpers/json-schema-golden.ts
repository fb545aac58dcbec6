import { z } from 'zod';

/**
 * Renders named zod schemas as one JSON document of their JSON Schemas (draft
 * 2020-12, the input side: what a producer may send), for a committed golden under
 * `contracts/golden/`. A change to a contract changes this text, so it has to be
 * made deliberately: `npx vitest run contracts -u` rewrites the goldens, and the
 * diff is the contract change to review.
 */
export function renderJsonSchemas(schemas: Readonly<Record<string, z.ZodType>>): string {
  const rendered = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })]),
  );
  return `${JSON.stringify(rendered, null, 2)}\n`;
}

/**
 * The issues zod reports, as `path: message` lines: what a producer or the
 * consumer's quarantine sees (the message is the reject reason code).
 */
export function issuesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
