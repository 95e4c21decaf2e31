const { exec, execFile } = require("node:child_process");
const net = require("node:net");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { CallToolRequestSchema, ListToolsRequestSchema } = require("@modelcontextprotocol/sdk/types.js");

const server = new Server({ name: "net-diag", version: "0.9.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: "ping",
      description: "Runs ping against a host and returns the round-trip summary.",
      inputSchema: { type: "object", properties: { host: { type: "string" } }, required: ["host"] },
    },
  ],
}));

function run(file, args) {
  return new Promise((resolve) => execFile(file, args, { timeout: 15000 }, (err, stdout, stderr) => resolve(stdout || stderr || String(err))));
}

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  switch (request.params.name) {
    case "ping": {
      const host = String(request.params.arguments.host);
      if (!net.isIP(host) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) {
        throw new Error("host must be an IP address or a DNS name");
      }
      const text = await run("ping", ["-c", "3", host]);
      return { content: [{ type: "text", text }] };
    }
    default:
      throw new Error(`unknown tool ${request.params.name}`);
  }
});

server.connect(new StdioServerTransport());
