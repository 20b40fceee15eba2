/**
 * Shrinking a failing operation sequence by deleting operations (delta debugging): delete chunks of half,
 * a quarter, … one operation, keeping each deletion after which the sequence still fails, until no single
 * operation can be deleted or the time budget is spent. fast-check's own shrinking keeps the generated
 * length of a fixed-length sequence; this one removes the operations that do not matter.
 */

export interface Minimized<T> {
  /** The shortest failing sequence found. */
  items: T[];
  /** The failure of that sequence. */
  error: unknown;
  /** True when no single item can be removed any more (false: the time budget ran out first). */
  complete: boolean;
  /** Sequences tried. */
  tries: number;
}

/**
 * Minimizes `items` for `fails` (which resolves to the failure, or undefined when the sequence passes).
 * Resolves to undefined when the full sequence does not fail (the failure is not reproducible).
 */
export async function minimizeSequence<T>(
  items: T[],
  fails: (candidate: T[]) => Promise<unknown>,
  budgetMs: number,
): Promise<Minimized<T> | undefined> {
  const deadline = Date.now() + budgetMs;
  let tries = 1;
  let error = await fails(items);
  if (error === undefined) return undefined;
  let current = items;
  let chunk = Math.max(1, Math.ceil(current.length / 2));
  for (;;) {
    let removed = false;
    for (let start = 0; start < current.length;) {
      if (Date.now() >= deadline) return { items: current, error, complete: false, tries };
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      tries++;
      const failure = candidate.length > 0 ? await fails(candidate) : undefined;
      if (failure !== undefined) {
        current = candidate;
        error = failure;
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk > 1) chunk = Math.max(1, Math.floor(chunk / 2));
    else if (!removed) return { items: current, error, complete: true, tries };
  }
}
