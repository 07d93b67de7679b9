import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { type Encoding, chooseEncoding, compressBoth } from './content-encoding.ts';

/**
 * Compresses the HTML pages Yoga renders (GraphiQL, about 9 MB with its scripts inlined so it
 * works offline) when the browser accepts it. GraphQL responses and event streams are left as
 * they are: compressing a stream would hold back events until a compressor block fills. The page
 * is the same on every load, so its compressed forms are kept by content hash; brotli at a middle
 * quality compresses 9 MB in well under a second and still beats gzip.
 */
export function compressedHtmlPages(): Plugin {
  const cache = new Map<string, Promise<Record<Encoding, Buffer>>>();
  return {
    async onResponse({ request, response, setResponse }) {
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      if (!encoding || !response.headers.get('content-type')?.startsWith('text/html') || response.headers.has('content-encoding')) return;
      const raw = Buffer.from(await response.arrayBuffer());
      const key = createHash('sha256').update(raw).digest('hex');
      let compressed = cache.get(key);
      if (!compressed) {
        compressed = compressBoth(raw, 5);
        cache.set(key, compressed);
      }
      const body = (await compressed)[encoding];
      const headers = new Headers(response.headers);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(body.length));
      headers.append('vary', 'accept-encoding');
      setResponse(new Response(new Uint8Array(body), { status: response.status, headers }));
    },
  };
}
