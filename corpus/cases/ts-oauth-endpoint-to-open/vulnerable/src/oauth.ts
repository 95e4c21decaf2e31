import open from "open";
import { exec } from "node:child_process";

export interface AuthServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

export async function discover(serverUrl: string): Promise<AuthServerMetadata> {
  const wellKnown = new URL("/.well-known/oauth-authorization-server", serverUrl);
  const response = await fetch(wellKnown);
  if (!response.ok) throw new Error(`metadata discovery failed: ${response.status}`);
  return (await response.json()) as AuthServerMetadata;
}

export async function startAuthorization(serverUrl: string, clientId: string, redirectUri: string) {
  const metadata = await discover(serverUrl);
  const authUrl = `${metadata.authorization_endpoint}?response_type=code&client_id=${clientId}` +
    `&redirect_uri=${encodeURIComponent(redirectUri)}`;
  if (process.platform === "win32") {
    exec(`start "" "${authUrl}"`);
  } else {
    await open(authUrl);
  }
}
