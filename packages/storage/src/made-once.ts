/**
 * A client (or anything costly to make) given as it is, or as a function that makes it on first use:
 * resolved once and kept; a failure is not kept, so the next use tries again. For the clients whose SDK
 * a Lambda loads only when it first needs it (SNS for reports, CloudFront for invalidations).
 */
export function madeOnce<T>(given: T | (() => T | Promise<T>)): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= Promise.resolve()
      .then(() => (typeof given === 'function' ? (given as () => T | Promise<T>)() : given))
      .catch((error: unknown) => {
        made = undefined;
        throw error;
      }));
}
