import { readFile, stat } from "node:fs/promises";

/** Reads one note and its modification time. */
export async function loadNote(file: string): Promise<{ text: string; modified: Date }> {
  const info = await stat(file);
  const text = await readFile(file, "utf8");
  return { text, modified: info.mtime };
}
