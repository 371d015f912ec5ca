import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

/** The embedded broker could not listen because something else already does. */
export class BrokerPortInUseError extends Error {
  override readonly name = 'BrokerPortInUseError';
  constructor(
    readonly context: { readonly host: string; readonly port: number },
    options?: { cause?: unknown },
  ) {
    super(
      `MQTT_BROKER_PORT ${context.port} on ${context.host} is already in use, so the embedded MQTT broker cannot start ` +
        `(is Mosquitto or another broker running?). Either use that broker: MQTT_URL=mqtt://${context.host}:${context.port}, ` +
        `or move the embedded one: MQTT_BROKER_PORT=<a free port> (0 picks any).`,
      options,
    );
  }
}

export interface EmbeddedBroker {
  /** where clients connect, e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An in-process MQTT 3.1.1 broker (aedes) for running without Mosquitto. It has no shared
 * subscriptions and no authentication: bind it to loopback unless sensors on the LAN must reach it.
 *
 *   const broker = await startEmbeddedBroker({ port: 0 }); // broker.url → mqtt://127.0.0.1:40123
 */
export async function startEmbeddedBroker(options: { port: number; host?: string }): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker({ drainTimeout: 10_000 });
  const server: Server = createServer((socket) => aedes.handle(socket));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new BrokerPortInUseError({ host, port: options.port }, { cause: e });
    throw e;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // Listening on every interface: connect locally through loopback.
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `mqtt://${local.includes(':') ? `[${local}]` : local}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Closing aedes disconnects its clients, which lets the server finish closing.
        aedes.close();
      }),
  };
}
