/**
 * The functions' own resource names (table, buckets) from their environment, which the CDK stack
 * sets: a missing one fails the invocation with a message that names the variable. Settings (the
 * site's, the digests') are read through `@feedwright/config`.
 */

/** The value of a required variable. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the stack sets it on the function`);
  return value;
}
