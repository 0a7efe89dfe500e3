import assert from "node:assert/strict";
import { defineCase, once, recordEvents } from "../harness.ts";
import type { Case } from "../harness.ts";

const cases: Case[] = [
  defineCase("lifecycle", "client events in order when the server ends first", async (ctx) => {
    const server = await ctx.server((s) => s.end("bye"));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "ready", "data", "end", "finish", "close"],
      (e, a) => e === "data" ? `data:${a[0]}` : e === "close" ? `close:${a[0]}` : e);
    client.setEncoding("utf8");
    await once(client, "close");
    assert.deepEqual(log, ["connect", "ready", "data:bye", "end", "finish", "close:false"]);
  }),
];

export default cases;
