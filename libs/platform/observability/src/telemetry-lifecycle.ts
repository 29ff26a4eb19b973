// The SDK is started by register.ts in a separate entry point; the app flushes it on shutdown through here.
type Shutdown = () => Promise<void>;
const KEY = Symbol.for('fapiao.telemetry.shutdown');
const holder = globalThis as unknown as Record<symbol, Shutdown | undefined>;

export function setTelemetryShutdown(shutdown: Shutdown): void {
  holder[KEY] = shutdown;
}

/** Flushes pending spans; a no-op when telemetry was not started. */
export async function shutdownTelemetry(): Promise<void> {
  await holder[KEY]?.();
}
