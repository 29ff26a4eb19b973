import { createServer, type Server } from 'node:http';
import { register } from 'prom-client';

/**
 * The process's Prometheus metrics on a port of their own (METRICS_PORT), apart from the API: the Ingress
 * and HTTPRoute route to the HTTP port only, so /metrics is never public, and a NetworkPolicy can open it
 * to scrapers alone. Started before the database wait, so a booting pod can be scraped too.
 */
export async function serveMetrics(port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      response.end(
        JSON.stringify({ code: 'NOT_FOUND', message: `${path}: this port serves GET /metrics only` }),
      );
      return;
    }
    register.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': register.contentType });
        response.end(text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return server;
}
