// An HTTP/1.1 GET over raw TCP, as the tutorials do against example.com, but against a local
// server so that it runs offline. The server answers with `Transfer-Encoding: chunked`: the
// body comes as pieces, each preceded by its size in hexadecimal, ended by a 0-size piece.
// The client writes the request by hand, reads the response as text and decodes the chunks.
// At the end, fetch() asks the same server, to show that a real HTTP client reads the same.
//
// Run: node examples/http-get.mjs | deno run -A examples/http-get.mjs | bun examples/http-get.mjs
import * as net from "crossnet";

const page = [
  "<!doctype html><html><head><title>Example Domain</title></head>",
  "<body><h1>Example Domain</h1>",
  "<p>This domain is for use in documentation examples.</p></body></html>",
];

// The server: reads the request head, then sends the body in three chunks, one per write,
// a few milliseconds apart (so they reach the client in separate "data" events).
const server = net.createServer((socket) => {
  let request = "";
  let answered = false;
  socket.setEncoding("latin1");
  socket.on("data", async (data) => {
    request += data;
    if (answered || !request.includes("\r\n\r\n")) return; // the head is not complete yet
    answered = true;
    console.log("server: request line:", request.slice(0, request.indexOf("\r\n")));
    socket.write(
      "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "Connection: close\r\n" +
        "\r\n",
    );
    for (const piece of page) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const bytes = Buffer.from(piece, "utf8");
      socket.write(`${bytes.length.toString(16)}\r\n`);
      socket.write(bytes);
      socket.write("\r\n");
    }
    socket.end("0\r\n\r\n"); // the last chunk, then FIN (Connection: close)
  });
});

/** Decode a chunked body: each chunk is "<size in hex>\r\n<bytes>\r\n"; size 0 ends it. */
function decodeChunked(bytes) {
  const chunks = [];
  const sizes = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd < 0) throw new Error("truncated chunked body");
    const size = parseInt(bytes.toString("latin1", at, lineEnd), 16);
    sizes.push(size);
    if (size === 0) return { body: Buffer.concat(chunks), sizes };
    chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);

  // Bytes, not text: chunk sizes count bytes, and a chunk may end inside a character.
  let received = Buffer.alloc(0);
  socket.on("data", (data) => {
    received = Buffer.concat([received, data]);
  });
  // The server closes after the response (Connection: close): "end" means all of it is here.
  socket.on("end", async () => {
    const headEnd = received.indexOf("\r\n\r\n");
    const [statusLine, ...headers] = received.toString("latin1", 0, headEnd).split("\r\n");
    console.log("client: status line:", statusLine);
    for (const header of headers) console.log("client: header:", header);
    const { body, sizes } = decodeChunked(received.subarray(headEnd + 4));
    console.log("client: chunk sizes (hex):", sizes.map((n) => n.toString(16)).join(" "));
    console.log("client: body:", body.toString("utf8"));

    const viaFetch = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    console.log("fetch() reads the same body:", viaFetch === body.toString("utf8"));
    server.close();
  });
});

// Prints:
// server: request line: GET / HTTP/1.1
// client: status line: HTTP/1.1 200 OK
// client: header: Content-Type: text/html; charset=utf-8
// client: header: Transfer-Encoding: chunked
// client: header: Connection: close
// client: chunk sizes (hex): 3f 1d 46 0
// client: body: <!doctype html><html><head><title>Example Domain</title></head><body><h1>Example Domain</h1><p>This domain is for use in documentation examples.</p></body></html>
// server: request line: GET / HTTP/1.1
// fetch() reads the same body: true
