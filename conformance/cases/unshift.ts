/**
 * `socket.unshift(chunk)`: bytes handed back to the front of what is still to be read.
 * Parsers that read too far do it, and so does `ws` with the bytes that came in the same
 * read as an HTTP upgrade's response (a server that greets its clients at once sends them
 * so), before it adds its `data` listener to a socket node:http left with no consumer.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { defineCase, delay, once } from "../harness.ts";
import { closed, connected } from "./_shared.ts";
import type { Case } from "../harness.ts";

/** What `socket` emits as `data` (as text) until `end`. */
function textUntilEnd(socket: any): Promise<string[]> {
  const chunks: string[] = [];
  socket.on("data", (d: any) => chunks.push(String(d)));
  return new Promise((resolve) => socket.on("end", () => resolve(chunks)));
}

/** Wait until `socket` holds `n` unread bytes (it has no consumer yet). */
async function buffered(socket: any, n: number): Promise<void> {
  while (socket.readableLength < n) await delay(2);
}

const cases: Case[] = [
  defineCase("lifecycle", "unshift() from a 'data' listener: those bytes come first in the next 'data', then the rest", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.write("GREETING rest");
    const rest: string[] = [];
    const [first] = await once(client, "data");
    const text = String(first);
    assert.equal(client.unshift(text.slice(9)), true);
    client.on("data", (d: any) => rest.push(String(d)));
    client.on("end", () => rest.push("end"));
    peer.end(" more");
    await closed(client);
    assert.equal(text.slice(0, 9), "GREETING ");
    assert.equal(rest.at(-1), "end");
    assert.equal(rest.slice(0, -1).join(""), "rest more");
    assert.equal(rest[0]!.startsWith("rest"), true);
    assert.equal(client.bytesRead, "GREETING rest more".length);
  }),

  defineCase("lifecycle", "unshift() on a socket with no consumer yet (as node:http hands over an upgrade): the next 'data' listener gets those bytes before what was buffered", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.write("abc");
    await buffered(client, 3);
    assert.equal(client.readableFlowing, null);
    client.unshift(new TextEncoder().encode("head:"));
    assert.equal(client.readableLength, 8);
    const got = textUntilEnd(client);
    peer.end("def");
    assert.equal((await got).join(""), "head:abcdef");
  }),

  defineCase("lifecycle", "unshift() while flowing with nothing buffered and a 'data' listener: emitted at once, inside the call", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    client.on("data", (d: any) => log.push(`data:${d}`));
    await delay(5);
    log.push("before");
    client.unshift("x");
    log.push("after");
    peer.end();
    await closed(client);
    assert.deepEqual(log, ["before", "data:x", "after"]);
  }),

  defineCase("lifecycle", "unshift() after the last data, with the peer's FIN in and 'end' due: the bytes, then 'end'", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    client.once("data", (d: any) => {
      log.push(`data:${d}`);
      // A tick later: where the FIN came with the data (Deno), `end` is due by then.
      process.nextTick(() => {
        client.pause();
        client.unshift("again");
        client.on("data", (e: any) => log.push(`data:${e}`));
        setTimeout(() => client.resume(), 10);
      });
    });
    client.on("end", () => log.push("end"));
    peer.end("abc");
    await closed(client);
    assert.deepEqual(log, ["data:abc", "data:again", "end"]);
  }),

  defineCase("encoding", "unshift() with an encoding set: what is put back skips the decoder (which may hold part of a character): a string comes back as a string, bytes as bytes, and the split character comes whole", async (ctx) => {
    const { client, peer } = await connected(ctx);
    client.setEncoding("utf8");
    const log: string[] = [];
    const fmt = (d: any) => typeof d === "string" ? JSON.stringify(d) : `bytes:${new TextDecoder().decode(d)}`;
    client.once("data", (d: any) => {
      log.push(fmt(d));
      client.pause();
      client.unshift("X");
      client.unshift(new TextEncoder().encode("Y"));
      log.push(`length:${client.readableLength}`);
      client.on("data", (e: any) => log.push(fmt(e)));
      setTimeout(() => {
        peer.end(new Uint8Array([0xac, 0x62])); // the rest of the euro sign, then "b"
        client.resume();
      }, 5);
    });
    peer.write(new Uint8Array([0x61, 0xe2, 0x82])); // "a", then two of the euro sign's three bytes
    await closed(client);
    assert.deepEqual(log, [`"a"`, "length:2", "bytes:Y", `"X"`, `"€b"`]);
  }),

  defineCase("errors", "unshift() after 'end' destroys the socket with ERR_STREAM_UNSHIFT_AFTER_END_EVENT; a chunk of the wrong type with ERR_INVALID_ARG_TYPE", async (ctx) => {
    const { client, peer } = await connected(ctx, { client: { allowHalfOpen: true } });
    client.resume();
    peer.end();
    await once(client, "end");
    const errors: string[] = [];
    client.on("error", (err: any) => errors.push(`${err.name}:${err.code}:${err.message}`));
    assert.equal(client.unshift("late"), false);
    await closed(client);
    assert.deepEqual(errors, ["Error:ERR_STREAM_UNSHIFT_AFTER_END_EVENT:stream.unshift() after end event"]);

    const { client: other } = await connected(ctx);
    const codes: string[] = [];
    other.on("error", (err: any) => codes.push(`${err.name}:${err.code}`));
    other.unshift(42); // (returns true on Node 20, false on 22 and later)
    await closed(other);
    assert.deepEqual(codes, ["TypeError:ERR_INVALID_ARG_TYPE"]);
  }),
];

export default cases;
