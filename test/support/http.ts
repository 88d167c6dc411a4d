import http from 'node:http';
import { type AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  type?: string;
  body: string | Uint8Array;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

/** A local web server with fixed routes, for ingesting pages by URL without a network. */
export async function serveRoutes(
  routes: Record<string, Route>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route?.hang) return;
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/html; charset=utf-8' });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
