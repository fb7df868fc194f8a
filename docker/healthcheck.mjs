// The container's HEALTHCHECK: GET /health on the port the node listens on (LER_HTTP, default 8080); exit 0
// when it answers 200 within 3 s. Plain Node (no TypeScript loader): it runs every few seconds.
const http = process.env.LER_HTTP ?? '0.0.0.0:8080';
const port = Number(http.slice(http.lastIndexOf(':') + 1));
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
