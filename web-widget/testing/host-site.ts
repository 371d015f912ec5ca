/** A second, unrelated website for the widget's browser tests. Node-only test support. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Another origin (another port) whose page embeds the widget from the fake chat server. */
export async function startHostSite(
  widgetOrigin: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const html = `<!doctype html><html lang="fr"><head><title>Autre site</title></head><body>
    <h1>Un autre site</h1>
    <script src="${widgetOrigin}/widget.js" data-lang="es" data-color="#ffd400" data-position="left"
      data-title="Aparcamiento Centro"></script></body></html>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
