import { startAuthorization } from "./oauth.js";

const [serverUrl] = process.argv.slice(2);
if (!serverUrl) {
  console.error("usage: mcp-remote-proxy <server-url>");
  process.exit(2);
}
await startAuthorization(serverUrl, "mcp-remote-proxy", "http://127.0.0.1:33418/callback");
