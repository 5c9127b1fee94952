/** Resolves once `check` holds, asking again every `intervalMs`: for state another process changes. */
export async function until(check: () => Promise<boolean>, intervalMs = 20): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}
