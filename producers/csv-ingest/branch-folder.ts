import { RejectReason, type ParsedSale, type RejectReasonCode } from '../../contracts/index.js';

/**
 * Uploads arrive under a branch's own folder, `uploads/<branch>/<file>.csv`, and a
 * branch's upload identity may write only there (its `supercafe-branch` tag picks
 * the folder). A row under one branch's folder that names another branch is
 * refused as `branch_mismatch`, so no branch can load sales for another.
 */

/**
 * A branch name as its folder spells it: accents dropped, lower case, each run of
 * other characters a hyphen (`London Soho` → `london-soho`, `Zürich` → `zurich`).
 */
export function branchFolderName(branch: string): string {
  return branch
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, ''); // the runs are single hyphens by now
}

/** The branch folder of an object key (`uploads/leeds/x.csv` → `leeds`), or undefined for a key outside any folder. */
export function branchFolderOf(key: string, uploadPrefix: string): string | undefined {
  if (!key.startsWith(uploadPrefix)) return undefined;
  const rest = key.slice(uploadPrefix.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : undefined;
}

/**
 * The check for rows of an upload under `folder`: a sale of another branch is
 * `branch_mismatch`. The folder is compared as its branch's spelling too, so
 * `uploads/Leeds/` (as the S3 console lets a person type it) holds Leeds's sales.
 */
export function sameBranchAs(folder: string): (sale: ParsedSale) => RejectReasonCode | null {
  const expected = branchFolderName(folder);
  return (sale) => (branchFolderName(sale.branch) === expected ? null : RejectReason.BranchMismatch);
}
