// Filter tokens stored in the FTS 'facets' column (contentless FTS5 cannot filter on values).
const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);

export const localeFacet = (locale: string) => `loc_${safe(locale)}`;
export const categoryFacet = (categoryId: string) => `cat_${safe(categoryId)}`;
