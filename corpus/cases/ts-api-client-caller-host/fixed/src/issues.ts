import { forgeRequest } from "./common/api.js";

const API = "https://forge.example.org/api/v1";

/** One issue. */
export async function getIssue(owner: string, repo: string, number: number) {
  return forgeRequest(`https://forge.example.org/api/v1/repos/${owner}/${repo}/issues/${number}`);
}

/** Issues matching a query. */
export async function searchIssues(owner: string, repo: string, query: string) {
  const url = new URL(`https://forge.example.org/api/v1/repos/${owner}/${repo}/issues`);
  url.searchParams.append("q", query);
  return forgeRequest(url.toString());
}

/** An issue with its comments: the issue itself comes from getIssue. */
export async function getIssueThread(owner: string, repo: string, number: number) {
  const issue = await getIssue(owner, repo, number);
  const comments = await forgeRequest(`${API}/repos/${owner}/${repo}/issues/${number}/comments`);
  return { issue, comments };
}
