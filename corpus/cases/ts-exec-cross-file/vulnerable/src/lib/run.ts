import { exec, execFile } from "node:child_process";
import { promisify } from "node:util";

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);
const WORKSPACE = process.env.WORKSPACE_DIR ?? process.cwd();

export async function runScript(name: string): Promise<string> {
  const { stdout, stderr } = await execAsync(`npm run ${name}`, {
    cwd: WORKSPACE,
    maxBuffer: 4 * 1024 * 1024,
  });
  return `${stdout}\n${stderr}`.trim();
}
