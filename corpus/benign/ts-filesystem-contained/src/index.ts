import { readFile, readdir, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const ROOT = path.resolve(process.env.PROJECT_ROOT ?? ".");
const server = new McpServer({ name: "project-files", version: "1.0.0" });

/** Resolves `requested` inside ROOT, following symlinks, or throws. */
async function inside(requested: string, mustExist = true): Promise<string> {
  const root = await realpath(ROOT);
  const candidate = path.resolve(root, requested);
  const resolved = mustExist ? await realpath(candidate) : path.join(await realpath(path.dirname(candidate)), path.basename(candidate));
  const rel = path.relative(root, resolved);
  if (rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new Error(`${requested} is outside the project`);
  }
  return resolved;
}

server.registerTool("read_file", {
  description: "Reads a text file of the project. IMPORTANT: paths must be relative to the project root.",
  inputSchema: { file: z.string() },
  annotations: { readOnlyHint: true },
}, async ({ file }) => ({ content: [{ type: "text", text: await readFile(await inside(file), "utf8") }] }));

server.registerTool("list_directory", {
  description: "Lists the entries of a project directory. Always call this before guessing file names.",
  inputSchema: { dir: z.string().default(".") },
  annotations: { readOnlyHint: true },
}, async ({ dir }) => ({ content: [{ type: "text", text: (await readdir(await inside(dir))).join("\n") }] }));

server.registerTool("write_file", {
  description: "Writes a text file inside the project, replacing its content.",
  inputSchema: { file: z.string(), content: z.string() },
  annotations: { destructiveHint: true },
}, async ({ file, content }) => {
  await writeFile(await inside(file, false), content, "utf8");
  return { content: [{ type: "text", text: `wrote ${file}` }] };
});

await server.connect(new StdioServerTransport());
