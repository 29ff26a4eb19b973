import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** tools/lib/tcp-proxy.mjs, the proxy the chaos tool cuts too: `down()` resets every connection. */
export interface TcpProxy {
  port: number;
  readonly isUp: boolean;
  up(): Promise<void>;
  down(): Promise<void>;
}

const MODULE = pathToFileURL(join(__dirname, '../../../tools/lib/tcp-proxy.mjs')).href;

/** A proxy to `host:port`, listening on a free loopback port once `up()` resolves. */
export async function tcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const { TcpProxy } = (await import(MODULE)) as {
    TcpProxy: new (host: string, port: number) => TcpProxy;
  };
  return new TcpProxy(targetHost, targetPort);
}
