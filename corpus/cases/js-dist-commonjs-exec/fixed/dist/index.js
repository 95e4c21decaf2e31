"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const child_process_1 = require("child_process");
const util_1 = require("util");
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const stdio_js_1 = require("@modelcontextprotocol/sdk/server/stdio.js");
const zod_1 = require("zod");
const execFileAsync = (0, util_1.promisify)(child_process_1.execFile);
const server = new mcp_js_1.McpServer({ name: "image-tools", version: "1.4.2" });
server.registerTool("resize_image", {
    description: "Runs ImageMagick to resize an image file to the given width.",
    inputSchema: { file: zod_1.z.string(), width: zod_1.z.number().int().positive() },
}, async ({ file, width }) => {
    if (file.startsWith("-")) {
        throw new Error("file must not start with a dash");
    }
    const { stdout } = await execFileAsync("magick", [file, "-resize", `${width}x`, `${file}.resized.png`]);
    return { content: [{ type: "text", text: stdout || `resized ${file}` }] };
});
server.connect(new stdio_js_1.StdioServerTransport()).catch((err) => {
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=index.js.map
