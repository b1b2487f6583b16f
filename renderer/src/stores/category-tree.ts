// The help centre's category tree as pure functions over the flat list kb.categories returns
// ({id, parentId, title, order}): no kiosk client here, so Node tests load it as it is.
import type { Category } from '../../../contracts/kiosk-api.ts';

/** Each category's parent as the tree uses it. A missing parent, or a category on a circle of
 *  parents (hostile or broken KB data), makes it a top-level one: the tree is always a tree. */
export function effectiveParents(categories: readonly Category[]): Map<string, string | null> {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const onCircle = (c: Category) => {
    const seen = new Set<string>();
    for (let at = c.parentId; at !== null && byId.has(at) && !seen.has(at); at = byId.get(at)!.parentId) {
      if (at === c.id) return true;
      seen.add(at);
    }
    return false;
  };
  return new Map(categories.map((c) => [c.id, c.parentId !== null && byId.has(c.parentId) && !onCircle(c) ? c.parentId : null]));
}

const byOrder = (a: Category, b: Category) => a.order - b.order || a.title.localeCompare(b.title);

/** The categories directly under `parentId` (null: the top level), in display order. */
export function childCategories(categories: readonly Category[], parentId: string | null): Category[] {
  const parents = effectiveParents(categories);
  return categories.filter((c) => parents.get(c.id) === parentId).sort(byOrder);
}

/** From the top level down to `id` (inclusive); empty for the top level or an unknown id. */
export function categoryPath(categories: readonly Category[], id: string | null): Category[] {
  const parents = effectiveParents(categories);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const path: Category[] = [];
  for (let at = id; at !== null && byId.has(at); at = parents.get(at) ?? null) path.unshift(byId.get(at)!);
  return path;
}

/** One entry per id, the first kept (a duplicated id would show twice and confuse the path). */
export function uniqueCategories(categories: readonly Category[]): Category[] {
  const seen = new Set<string>();
  return categories.filter((c) => !seen.has(c.id) && !!seen.add(c.id));
}
