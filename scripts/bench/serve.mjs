// The benches' static file server: the repository's files (bench pages, dist/, node_modules/) on a
// free loopback port.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves the files under `root` (a path ending in `/`); resolves to `{ origin, close() }`. */
export async function serveFiles(root) {
  const files = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${files.address().port}`, close: () => files.close() };
}
