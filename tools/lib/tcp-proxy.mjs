// A TCP proxy a test or the chaos tool can cut, in front of MariaDB.
import { connect, createServer } from 'node:net';

/**
 * `down()` resets every open connection and stops listening (what a service sees when its database host
 * dies), `up()` listens again on the same port.
 */
export class TcpProxy {
  #server;
  #sockets = new Set();
  port = 0;

  constructor(targetHost, targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  get isUp() {
    return this.#server !== undefined;
  }

  async up() {
    if (this.#server) return;
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.#server = server;
    this.port = server.address().port;
  }

  async down() {
    for (const socket of this.#sockets) socket.resetAndDestroy();
    const server = this.#server;
    this.#server = undefined;
    await new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
