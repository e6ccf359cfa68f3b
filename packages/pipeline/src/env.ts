/**
 * Reading the functions' configuration from their environment, which the CDK stack sets: a missing
 * or malformed value fails the invocation with a message that names the variable.
 */

/** The value of a required variable. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the stack sets it on the function`);
  return value;
}

/** The value of an optional whole-number variable; undefined when unset or empty. */
export function optionalPositiveInt(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`environment variable ${name} must be a positive whole number, not '${raw}'`);
  }
  return value;
}
