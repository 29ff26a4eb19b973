// Loopback ports for the processes the tools start.
import { createServer } from 'node:net';

/**
 * Listens on 127.0.0.1:`port` for a moment (0: a free one) and returns the port. A program that fails on a
 * port in use only after a readiness probe could reach whoever holds it is refused here, with the number.
 */
export async function freePort(port = 0) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot listen on 127.0.0.1:${port}: ${error.code}`)));
    server.listen(port, '127.0.0.1', resolve);
  });
  const taken = server.address().port;
  await new Promise((resolve) => server.close(resolve));
  return taken;
}

/** libs/platform/config's METRICS_PORT_OFFSET: a service serves /metrics on its HTTP port + this, unless METRICS_PORT says otherwise. */
export const METRICS_PORT_OFFSET = 6000;

/** The /metrics URL of a service that answers at `serviceUrl` (http://host:port) with the default METRICS_PORT. */
export function metricsUrl(serviceUrl) {
  const url = new URL(serviceUrl);
  url.port = String(Number(url.port) + METRICS_PORT_OFFSET);
  url.pathname = '/metrics';
  url.search = '';
  return url.toString();
}
