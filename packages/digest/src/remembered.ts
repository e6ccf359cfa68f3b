/**
 * `format`, remembered by its argument: a site shows each story's instant in many files (its feeds, its
 * month's archive documents, its topic, month and issue pages), and reading or formatting a date is
 * costly enough to show in a build's profile. Forgets everything past `limit` entries, so it never grows
 * unbounded. A `format` that throws remembers nothing.
 */
export function remembered<K, V>(format: (key: K) => V, limit = 100_000): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = format(key);
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
