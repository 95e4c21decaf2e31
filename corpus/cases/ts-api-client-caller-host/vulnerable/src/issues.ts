import { forgeRequest } from "./common/api.js";

/** One issue. `server` lets self-hosted forges be used: the caller picks the host. */
export async function getIssue(server: string, owner: string, repo: string, number: number) {
  return forgeRequest(`${server}/api/v1/repos/${owner}/${repo}/issues/${number}`);
}

/** Issues matching a query. */
export async function searchIssues(server: string, owner: string, repo: string, query: string) {
  const url = new URL(`${server}/api/v1/repos/${owner}/${repo}/issues`);
  url.searchParams.append("q", query);
  return forgeRequest(url.toString());
}
