/** Sends an authenticated request to the forge API and parses the JSON answer. */
export async function forgeRequest(url: string | URL): Promise<unknown> {
  const response = await fetch(url, {
    headers: {
      Accept: "application/json",
      Authorization: `Bearer ${process.env.FORGE_TOKEN ?? ""}`,
    },
  });
  if (!response.ok) {
    throw new Error(`forge API: ${response.status}`);
  }
  return response.json();
}
