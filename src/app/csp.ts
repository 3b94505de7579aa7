// The app's response headers — the Content-Security-Policy and the cross-origin isolation headers —
// written once, here. vite.config.ts sends them from the dev server and from `vite preview` (which
// `npm start` and the e2e tests use), and the same plugin writes them into `dist/_headers` for
// Netlify/Cloudflare-Pages-style hosts, so the three cannot drift (csp.test.ts checks that they agree).
import type { Connect, Plugin } from 'vite';

/**
 * Each directive and why the app needs what it allows.
 *
 * - `script-src 'self' 'wasm-unsafe-eval' blob:` — only the app's own bundles; `'wasm-unsafe-eval'` lets
 *   tfjs-backend-wasm and onnxruntime-web compile their `.wasm`. No `'unsafe-eval'`: the
 *   paths the app runs never turn a string into code (Plotly's `Function` is a `bind` polyfill for old
 *   browsers; onnxruntime-web's WebGPU runtime has an Embind `new Function` its execution provider does
 *   not reach — tests/e2e/csp.spec.ts runs it under this policy). `blob:` because tfjs-backend-wasm's threaded build starts each pthread
 *   worker from a Blob of its own Emscripten factory and `importScripts` that Blob; a Blob URL can only
 *   be made by script already running in the page, so markup injected into the page cannot use it.
 * - `worker-src 'self' blob:` — the app's module workers (train, data, tune, shards) and those Blob pthreads.
 * - `style-src 'self' 'unsafe-inline'` — Plotly sets `style` attributes on SVG nodes (colour bars,
 *   images, modebar) and injects a `<style>` element; the dev server injects every component's CSS as a
 *   `<style>` element. Inline styles cannot run code.
 * - `connect-src 'self' http: https:` — the app's own files (datasets, `.wasm`), and the model servers a
 *   person points the cloud comparison at (`benchtop serve` on loopback `http:`, TF Serving, any host
 *   they type), which cannot be listed in advance. The dev server's HMR socket is same-origin (`'self'`).
 * - `img-src 'self' data: blob:` — Plotly's image export and heatmap images are data:/blob: URLs.
 * - `object-src 'none'`, `base-uri 'none'`, `form-action 'none'`, `frame-ancestors 'none'` — no plugins,
 *   no `<base>` rewrites, no form posts, and no page may frame the app (clickjacking). `frame-ancestors`
 *   works only as a header, never in a `<meta>`, which is why the policy is a header everywhere.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:'],
  'worker-src': ["'self'", 'blob:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'connect-src': ["'self'", 'http:', 'https:'],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/** The policy as one header value: `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; …`. */
export const CONTENT_SECURITY_POLICY: string = Object.entries(CSP_DIRECTIVES)
  .map(([name, sources]) => [name, ...sources].join(' '))
  .join('; ');

/**
 * Cross-origin isolation (COOP + COEP): it unlocks SharedArrayBuffer, which tfjs-backend-wasm and
 * onnxruntime-web need for their multi-threaded builds.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** Every header the app's responses carry, wherever it is served from. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ISOLATION_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
});

/**
 * The headers as a Netlify / Cloudflare Pages `_headers` file: one rule for every path (`/*`), each
 * header indented under it.
 * @example headersFile({ A: 'b' }) // "/*\n  A: b\n"
 */
export function headersFile(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): string {
  return ['/*', ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n') + '\n';
}

/** Reads a `_headers` file back into the headers of its `/*` rule (the only rule {@link headersFile} writes). */
export function parseHeadersFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inAll = false;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    const at = line.indexOf(':');
    if (inAll && at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/**
 * The Vite plugin that sends {@link SECURITY_HEADERS} on every response of the dev server and of
 * `vite preview` (including the SPA fallback and `.wasm` files), and writes them to `dist/_headers`.
 */
export function securityHeaders(): Plugin {
  const pin: Connect.NextHandleFunction = (_req, res, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'benchtop-security-headers',
    configureServer(server) {
      server.middlewares.use(pin);
    },
    configurePreviewServer(server) {
      server.middlewares.use(pin);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}
