/**
 * Runs `task` over `inputs` with at most `limit` in flight, keeping the input order in the result. On the
 * first failure no new task starts, and the promise rejects only once those in flight have settled: the
 * caller (and Lambda) never returns while writes of a failed attempt are still landing.
 */
export async function mapLimit<T, R>(
  inputs: readonly T[],
  limit: number,
  task: (input: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < inputs.length && failure === undefined) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(inputs[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
