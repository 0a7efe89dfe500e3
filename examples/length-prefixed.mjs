// A length-prefixed protocol: each message is a 4-byte big-endian length followed by that
// many bytes. Unlike newline framing, the payload may hold any byte (here: UTF-8 text with
// newlines in it). The server decodes messages and answers each one, framed the same way,
// with its text upper-cased; the client sends three messages in one write and one byte by
// byte, and decodes the answers with the same decoder.
//
// Run: node examples/length-prefixed.mjs | deno run -A examples/length-prefixed.mjs | bun examples/length-prefixed.mjs
import * as net from "crossnet";

/** One frame: 4-byte big-endian length, then the UTF-8 bytes of `text`. */
function encode(text) {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** A decoder fed with chunks as they come; calls `onMessage` for each complete frame. */
function createDecoder(onMessage) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (pending.length < 4 + length) break; // wait for the rest of the frame
      onMessage(pending.subarray(4, 4 + length).toString("utf8"));
      pending = pending.subarray(4 + length);
    }
  };
}

const server = net.createServer((socket) => {
  socket.on("data", createDecoder((message) => {
    console.log("server received:", JSON.stringify(message));
    socket.write(encode(message.toUpperCase()));
  }));
});

const messages = ["hello", "two\nlines", "", "héllo, 世界 👋"];

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const replies = [];
  const client = net.connect(port, "127.0.0.1", async () => {
    // Three frames in one write: one "data" event on the server may carry all of them.
    client.write(Buffer.concat(messages.slice(0, 3).map(encode)));
    // One frame, one byte per write: the server sees it in pieces.
    for (const byte of encode(messages[3])) {
      client.write(Uint8Array.of(byte));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  });
  client.on("data", createDecoder((reply) => {
    replies.push(reply);
    if (replies.length === messages.length) client.end();
  }));
  client.on("close", () => {
    for (const reply of replies) console.log("client received:", JSON.stringify(reply));
    server.close();
  });
});

// Prints:
// server received: "hello"
// server received: "two\nlines"
// server received: ""
// server received: "héllo, 世界 👋"
// client received: "HELLO"
// client received: "TWO\nLINES"
// client received: ""
// client received: "HÉLLO, 世界 👋"
