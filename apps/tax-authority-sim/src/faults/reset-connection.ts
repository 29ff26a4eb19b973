import type { Response } from 'express';

/**
 * Drops the connection with a TCP RST, as a failing load balancer or a crashed peer does; the client sees
 * ECONNRESET. Marking the response destroyed makes anything written to it afterwards a silent no-op.
 */
export function resetConnection(response: Response): void {
  response.req.socket.resetAndDestroy();
  response.destroy();
}

/**
 * "Response lost": the request is processed as usual, and the moment its answer (success or error) would
 * start, the connection is reset instead. Hooking the header write covers every way a response is sent.
 */
export function loseResponse(response: Response): void {
  response.writeHead = ((..._args: unknown[]) => {
    resetConnection(response);
    return response;
  }) as Response['writeHead'];
}
