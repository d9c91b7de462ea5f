import { contentTypeFor, resolveAppProtocolPath, securityHeaders } from './security/appProtocol';

/**
 * The `protocol.handle('app', ...)` handler for packaged builds: serves files from the built renderer
 * with the security headers, refuses anything resolveAppProtocolPath() refuses. `readFile` is injected
 * (fs.promises.readFile in the app, which also reads inside app.asar).
 */
export function createAppProtocolHandler(
  rootDir: string,
  csp: string,
  readFile: (path: string) => Promise<Uint8Array<ArrayBuffer>>,
): (request: Request) => Promise<Response> {
  const headers = securityHeaders(csp);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers });
    }
    const file = resolveAppProtocolPath(request.url, rootDir);
    if (file === null) return new Response(null, { status: 403, headers });
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readFile(file);
    } catch {
      return new Response(null, { status: 404, headers });
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...headers, 'Content-Type': contentTypeFor(file) },
    });
  };
}
