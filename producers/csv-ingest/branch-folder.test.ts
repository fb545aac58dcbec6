import { describe, expect, it } from 'vitest';
import { RawSaleSchema } from '../../contracts/index.js';
import { rawSale } from '../../test/helpers/factories.js';
import { branchFolderName, branchFolderOf, sameBranchAs } from './branch-folder.js';

describe('Function: branchFolderName', () => {
  it.each([
    ['Leeds', 'leeds'],
    ['London Soho', 'london-soho'],
    ['  St. Albans ', 'st-albans'],
    ['Zürich', 'zurich'],
    ['Chester-le-Street', 'chester-le-street'],
  ])('spells %j as the folder %j', (branch, folder) => {
    expect(branchFolderName(branch)).toBe(folder);
  });
});

describe('Function: branchFolderOf', () => {
  it('reads the folder after the upload prefix', () => {
    expect(branchFolderOf('uploads/london-soho/2024-03-05.csv', 'uploads/')).toBe('london-soho');
  });

  it('finds none for a file at the top or outside the prefix', () => {
    expect(branchFolderOf('uploads/2024-03-05.csv', 'uploads/')).toBeUndefined();
    expect(branchFolderOf('elsewhere/leeds/x.csv', 'uploads/')).toBeUndefined();
    // An empty folder name (a doubled slash) is no folder.
    expect(branchFolderOf('uploads//x.csv', 'uploads/')).toBeUndefined();
  });
});

describe('Function: sameBranchAs', () => {
  it("passes the folder's own branch and refuses another as branch_mismatch", () => {
    // Prepare
    const check = sameBranchAs('london-soho');

    // Act and Assess
    expect(check(RawSaleSchema.parse(rawSale({ branch: 'London  Soho' })))).toBeNull();
    expect(check(RawSaleSchema.parse(rawSale({ branch: 'Leeds' })))).toBe('branch_mismatch');
  });

  it('reads a folder spelled as the branch is (field case 05: uploads/Leeds/) as that branch', () => {
    expect(sameBranchAs('Leeds')(RawSaleSchema.parse(rawSale({ branch: 'Leeds' })))).toBeNull();
    expect(sameBranchAs('London Soho')(RawSaleSchema.parse(rawSale({ branch: 'York' })))).toBe('branch_mismatch');
  });
});
