/** Resolves once `check` holds, asking again every 20 ms: for state another process changes. */
export async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}
