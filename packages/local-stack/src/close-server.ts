import type { Server } from 'node:http';

/** Stops accepting connections and drops idle keep-alive ones so shutdown is immediate. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // dynalite's close() reports success as null, Node's as undefined.
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
