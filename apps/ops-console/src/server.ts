import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { OpsConsoleConfig } from './ops-console.config';
import { FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS, upstreamUrl } from './proxy';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};
/** A service that does not answer within this is reported as such, not left hanging in the browser. */
const UPSTREAM_TIMEOUT_MS = 15_000;

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

/** `/api/<service>/…` to the service, with the caller's Authorization: the browser stays same-origin. */
async function proxy(config: OpsConsoleConfig, request: IncomingMessage, response: ServerResponse) {
  const target = upstreamUrl(request.url ?? '', config.upstreams);
  if (!target) return json(response, 404, { code: 'CONSOLE.UNKNOWN_SERVICE', message: 'No such service' });
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request),
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return json(response, 502, { code: 'CONSOLE.UPSTREAM_UNREACHABLE', message: `${target}: ${reason}` });
  }
  const out: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = value;
  }
  response.writeHead(upstream.status, out);
  response.end(Buffer.from(await upstream.arrayBuffer()));
}

/** The built front end; any other path is the single page's (client-side views). */
async function serveStatic(webRoot: string, path: string, response: ServerResponse) {
  const relative = normalize(decodeURIComponent(path.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  const file = relative === '/' ? 'index.html' : relative.slice(1);
  try {
    const body = await readFile(join(webRoot, file));
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed asset names change with their content; the page itself is always fetched anew.
      'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(body);
  } catch {
    if (extname(file) !== '') return json(response, 404, { code: 'CONSOLE.NOT_FOUND', message: path });
    response.writeHead(200, { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-cache' });
    response.end(await readFile(join(webRoot, 'index.html')));
  }
}

export function createConsoleServer(config: OpsConsoleConfig, webRoot: string): Server {
  return createServer((request, response) => {
    const path = request.url ?? '/';
    const handled = path.startsWith('/api/')
      ? proxy(config, request, response)
      : path === '/healthz' || path === '/readyz'
        ? Promise.resolve(json(response, 200, { status: 'ok' }))
        : path === '/config.json'
          ? Promise.resolve(json(response, 200, { jaegerUiUrl: config.jaegerUiUrl }))
          : serveStatic(webRoot, path, response);
    handled.catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { code: 'CONSOLE.INTERNAL', message: String(error) });
      else response.destroy();
    });
  });
}
