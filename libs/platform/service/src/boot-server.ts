import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * What the service is still waiting for before it can serve: `database` while Nest creates the app
 * (TypeORM connects then, retrying for up to a minute), `startup` while the modules initialise.
 */
export type BootPhase = 'database' | 'startup';

/**
 * The service's HTTP port from the first moment of the boot: `/healthz` answers 200 (the process is
 * alive, so the kubelet's startup and liveness probes pass while the database is awaited), `/readyz`
 * 503 with `waitingFor`, every other route 503 `SERVICE.STARTING`. Nest takes the same listening socket
 * over through `adapter()` once the app is initialised, so the port never closes in between.
 */
export class BootServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private handler: RequestListener;
  phase: BootPhase = 'database';

  constructor(private readonly service: string) {
    this.handler = (request, response) => this.answer(request, response);
    this.server = createServer((request, response) => this.handler(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.removeListener('error', reject);
        resolve();
      });
    });
  }

  /** An Express adapter whose server is this one, already listening: Nest's `listen()` swaps the handler. */
  adapter(): ExpressAdapter {
    return new HandOverAdapter(this);
  }

  /** From now on requests go to the app. */
  handOver(app: RequestListener): void {
    this.handler = app;
  }

  /** Closes the port and ends every open connection (keep-alive ones too). */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const waitingFor = [this.phase];
    const send = (status: number, body: unknown) => {
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...(status === 503 ? { 'retry-after': '1' } : {}),
      });
      response.end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      return send(503, {
        code: 'SERVICE.NOT_READY',
        message: `Starting: waiting for ${waitingFor.join(', ')}`,
        status: 'starting',
        waitingFor,
      });
    }
    if (path === '/health/deps') {
      return send(503, { service: this.service, status: 'starting', ready: false, waitingFor });
    }
    send(503, {
      code: 'SERVICE.STARTING',
      message: `The service is starting (waiting for ${waitingFor.join(', ')}); retry shortly`,
    });
  }
}

class HandOverAdapter extends ExpressAdapter {
  constructor(private readonly boot: BootServer) {
    super();
  }

  /** Nest's server is the boot server; connections are tracked (and force-closed) by it. */
  override initHttpServer(): void {
    this.setHttpServer(this.boot.server);
  }

  /** The socket already listens (on the same configured port): hand requests to Express instead. */
  override listen(_port: string | number, ...args: unknown[]): Server {
    this.boot.handOver(this.getInstance<RequestListener>());
    const callback = args.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return this.boot.server;
  }

  override close(): Promise<unknown> {
    this.beforeClose();
    return this.boot.close();
  }
}
