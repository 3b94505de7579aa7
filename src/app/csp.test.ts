import { existsSync } from 'node:fs';
import type { Plugin, PreviewServer, UserConfig, ViteDevServer } from 'vite';
import { describe, expect, it } from 'vitest';
import config from '../../vite.config.ts';
import {
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  SECURITY_HEADERS,
  headersFile,
  parseHeadersFile,
  securityHeaders,
} from './csp.ts';

type Middleware = (req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => void;

/** Runs a server hook of the plugin with a fake server and returns the headers its middleware sets. */
function served(plugin: Plugin, hook: 'configureServer' | 'configurePreviewServer'): Record<string, string> {
  const uses: Middleware[] = [];
  const server = { middlewares: { use: (fn: Middleware) => uses.push(fn) } };
  const h = plugin[hook] as (s: ViteDevServer & PreviewServer) => void;
  h.call({} as never, server as never);
  expect(uses).toHaveLength(1);
  const headers: Record<string, string> = {};
  let nexted = false;
  uses[0]!({}, { setHeader: (k, v) => (headers[k] = v) }, () => (nexted = true));
  expect(nexted).toBe(true);
  return headers;
}

/** The `_headers` file the plugin emits into the build. */
function emitted(plugin: Plugin): string {
  const files: { fileName: string; source: string }[] = [];
  const h = plugin.generateBundle as (this: unknown) => void;
  h.call({ emitFile: (f: { fileName: string; source: string }) => files.push(f) });
  expect(files.map((f) => f.fileName)).toEqual(['_headers']);
  return files[0]!.source;
}

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
}

describe('Content-Security-Policy', () => {
  it('holds the directives issue 16 requires, and nothing that lets a string or inline markup run', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(expect.arrayContaining(["'self'", "'wasm-unsafe-eval'"]));
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('script-src')!.filter((s) => /^(https?:|\*|data:)/.test(s))).toEqual([]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    // Model servers a person types in: any http(s) host, for fetch only.
    expect(d.get('connect-src')).toEqual(["'self'", 'http:', 'https:']);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect([...d.keys()]).toEqual(Object.keys(CSP_DIRECTIVES));
  });

  it('dev, preview and the production _headers file send the same headers, COOP/COEP included', () => {
    const plugin = securityHeaders();
    const dev = served(plugin, 'configureServer');
    const preview = served(plugin, 'configurePreviewServer');
    const file = parseHeadersFile(emitted(plugin));
    expect(dev).toEqual({ ...SECURITY_HEADERS });
    expect(preview).toEqual(dev);
    expect(file).toEqual(dev);
    expect(dev['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(dev['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(dev['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });

  it('vite.config.ts uses that plugin and the same headers for its servers, and no second headers file exists', () => {
    const c = config as UserConfig;
    const names = (c.plugins ?? []).flat(5).map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : ''));
    expect(names).toContain('benchtop-security-headers');
    expect(c.server?.headers).toEqual({ ...SECURITY_HEADERS });
    expect(c.preview?.headers).toEqual({ ...SECURITY_HEADERS });
    // A hand-written public/_headers would be copied over dist/_headers and could say something else.
    expect(existsSync(new URL('../../public/_headers', import.meta.url))).toBe(false);
  });

  it('writes and reads back the _headers format', () => {
    expect(headersFile({ A: 'b', 'C-D': "e 'f'; g" })).toBe("/*\n  A: b\n  C-D: e 'f'; g\n");
    expect(parseHeadersFile("# note\n/assets/*\n  X: 1\n/*\n  A: b\n  C-D: e 'f'; g\n")).toEqual({
      A: 'b',
      'C-D': "e 'f'; g",
    });
  });
});
