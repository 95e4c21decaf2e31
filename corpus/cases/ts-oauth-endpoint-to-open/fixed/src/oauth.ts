import open from "open";

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
  const authUrl = new URL(metadata.authorization_endpoint);
  if (authUrl.protocol !== "https:" && authUrl.protocol !== "http:") {
    throw new Error(`refusing authorization endpoint with scheme ${authUrl.protocol}`);
  }
  authUrl.searchParams.set("response_type", "code");
  authUrl.searchParams.set("client_id", clientId);
  authUrl.searchParams.set("redirect_uri", redirectUri);
  await open(authUrl.href);
}
