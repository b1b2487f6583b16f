// The help centre's category tree rules (renderer/src/stores/category-tree.ts), hostile data
// included. The store and the screen on a real kiosk and hub: test/e2e/help-tree.test.ts.
import { describe, expect, it } from 'vitest';
import type { Category } from '../../contracts/kiosk-api.ts';
import { categoryPath, childCategories, effectiveParents, uniqueCategories } from '../../renderer/src/stores/category-tree.ts';

const cat = (id: string, parentId: string | null, order = 0, title = id): Category => ({ id, parentId, title, order });
const ids = (cs: Category[]) => cs.map((c) => c.id);

describe('tree rules', () => {
  const tree = [cat('b', null, 20), cat('a', null, 10), cat('a1', 'a', 2), cat('a0', 'a', 1), cat('a00', 'a0'), cat('z', null, 10, 'Z')];

  it('children in display order (order, then title); the top level is parentId null', () => {
    expect(ids(childCategories(tree, null))).toEqual(['a', 'z', 'b']);
    expect(ids(childCategories(tree, 'a'))).toEqual(['a0', 'a1']);
    expect(ids(childCategories(tree, 'a00'))).toEqual([]);
  });

  it('path from the top level down, inclusive; empty for the top level and unknown ids', () => {
    expect(ids(categoryPath(tree, 'a00'))).toEqual(['a', 'a0', 'a00']);
    expect(categoryPath(tree, null)).toEqual([]);
    expect(categoryPath(tree, 'nope')).toEqual([]);
  });

  it('hostile data: a missing parent, a self-parent and a circle become top-level, nothing loops', () => {
    const bad = [cat('orphan', 'gone'), cat('self', 'self'), cat('p', 'q'), cat('q', 'p'), cat('hang', 'p'), cat('ok', null)];
    const parents = effectiveParents(bad);
    expect(Object.fromEntries(parents)).toEqual({ orphan: null, self: null, p: null, q: null, hang: 'p', ok: null });
    expect(ids(childCategories(bad, null)).sort()).toEqual(['ok', 'orphan', 'p', 'q', 'self']);
    expect(ids(categoryPath(bad, 'hang'))).toEqual(['p', 'hang']);
    // Every category is reachable from the top level exactly once.
    const seen: string[] = [];
    const walk = (id: string | null) => childCategories(bad, id).forEach((c) => (seen.push(c.id), walk(c.id)));
    walk(null);
    expect(seen.sort()).toEqual(ids(bad).sort());
  });

  it('duplicated ids: the first one stays, once', () => {
    const dup = [cat('a', null, 1, 'first'), cat('b', null), cat('a', 'b', 2, 'second')];
    expect(uniqueCategories(dup)).toEqual([cat('a', null, 1, 'first'), cat('b', null)]);
    expect(uniqueCategories([])).toEqual([]);
  });

  it('a deep chain (1000 levels) has a path of 1000 and no stack trouble', () => {
    const deep = Array.from({ length: 1000 }, (_, i) => cat(`c${i}`, i === 0 ? null : `c${i - 1}`));
    expect(categoryPath(deep, 'c999')).toHaveLength(1000);
    expect(ids(childCategories(deep, 'c998'))).toEqual(['c999']);
  });
});
