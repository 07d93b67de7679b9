import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative } from 'node:path';
import { type Encoding, chooseEncoding, compressBoth } from './content-encoding.ts';
import { CONSOLE_DIST } from './console-build.ts';

/**
 * Serves the built console (web/dist) at `/` and `/assets/*`. The files are few and small, so
 * they are read once, compressed once (brotli and gzip) and kept in memory. Vite names every file
 * under assets/ by its content hash: those never change and are cached for a year as immutable;
 * index.html names the current ones and is revalidated on every load.
 */
export interface ConsoleAssets {
  /** Whether `path` is the console's (`/` or a built asset). */
  owns(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

interface Asset {
  readonly type: string;
  readonly raw: Buffer;
  readonly encoded: Record<Encoding, Buffer>;
  readonly etag: string;
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export function consoleAssets(dist: string = CONSOLE_DIST): ConsoleAssets {
  let loaded: Promise<Map<string, Asset> | null> | undefined;
  // A missing build is not remembered: a server started while another process was building
  // serves the console once that build is in place.
  const load = async () => {
    const assets = await (loaded ??= loadAssets(dist));
    if (!assets) loaded = undefined;
    return assets;
  };
  return {
    owns: (path) => path === '/' || path === '/index.html' || path.startsWith('/assets/'),
    async serve(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      const assets = await load();
      if (!assets) {
        return void res
          .writeHead(503, { 'content-type': 'text/plain' })
          .end('the console is not built: run `npm run build:web` (or restart the server, which builds it)\n');
      }
      const asset = assets.get(path === '/' ? '/index.html' : path);
      if (!asset) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        etag: asset.etag,
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
      };
      if (req.headers['if-none-match'] === asset.etag) return void res.writeHead(304, headers).end();
      const encoding = chooseEncoding(req.headers['accept-encoding']);
      const body = encoding ? asset.encoded[encoding] : asset.raw;
      if (encoding) headers['content-encoding'] = encoding;
      headers['content-length'] = String(body.length);
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

async function loadAssets(dist: string): Promise<Map<string, Asset> | null> {
  let entries: Dirent[];
  try {
    entries = await readdir(dist, { recursive: true, withFileTypes: true });
  } catch {
    return null;
  }
  const assets = new Map<string, Asset>();
  for (const entry of entries) {
    const file = join(entry.parentPath, entry.name);
    const type = TYPES[extname(entry.name)];
    if (!entry.isFile() || !type) continue;
    const path = '/' + relative(dist, file).split('\\').join('/');
    const raw = await readFile(file);
    const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
    assets.set(path, { type, raw, encoded: await compressBoth(raw), etag, immutable: path.startsWith('/assets/') });
  }
  return assets.has('/index.html') ? assets : null;
}
