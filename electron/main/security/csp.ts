import { devServerOrigin } from './origins';

export interface CspOptions {
  /** `npm start`: pages come from Forge's Vite dev server, which also needs its HMR socket. */
  readonly dev: boolean;
  /** The dev server's URL; required when `dev` is true. */
  readonly devServerUrl?: string;
}

/**
 * The Content-Security-Policy of every page, sent as a response header (so `frame-ancestors` works,
 * which a `<meta>` tag cannot carry). The packaged policy is the one web mode serves
 * (electron/web/staticFiles.ts), so the renderer meets one policy everywhere:
 *
 * - Scripts and styles only from our origin: no inline script or style, no eval.
 * - The renderer talks to the engine over a MessagePort, not the network: `connect-src 'self'`.
 * - Dev only: the dev server's http origin and its ws HMR socket; `'unsafe-inline'` scripts, because
 *   @vitejs/plugin-react injects an inline Fast Refresh preamble into index.html; `'unsafe-inline'`
 *   styles, because Vite's dev client injects CSS as `<style>` elements. The dev server listens on
 *   loopback and serves our own sources; the packaged policy has none of these.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const dev = options.dev ? devSources(options.devServerUrl) : undefined;
  const devInline = dev ? ["'unsafe-inline'"] : [];
  const directives: readonly (readonly string[])[] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...devInline],
    ['style-src', "'self'", ...devInline],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(dev ? [dev.http, dev.ws] : [])],
    ['worker-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

function devSources(devServerUrl: string | undefined): { http: string; ws: string } {
  if (devServerUrl === undefined) throw new Error('contentSecurityPolicy: dev needs devServerUrl');
  const http = devServerOrigin(devServerUrl);
  return { http, ws: http.replace(/^http:/, 'ws:') };
}
