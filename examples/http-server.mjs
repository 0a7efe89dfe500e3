// A minimal HTTP/1.1 server on a raw TCP server, answered by curl. As in the tutorials: read
// the request until the blank line that ends its head, then write a response by hand. The
// example runs `curl -s -i` against itself and prints what curl printed.
//
// Run: node examples/http-server.mjs | deno run -A examples/http-server.mjs | bun examples/http-server.mjs
// Needs: curl
import * as net from "crossnet";
import { spawn } from "node:child_process";
import process from "node:process";

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let message = "";
  socket.on("data", (data) => {
    message += data.toString();
    if (!message.includes("\r\n\r\n")) return; // the head is not complete yet
    const head = message.slice(0, message.indexOf("\r\n\r\n")).split("\r\n");
    console.log("server: request line:", head[0]);
    console.log("server: has a Host header:", head.some((h) => /^host:/i.test(h)));
    message = "";
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
  });
  // allowHalfOpen: the socket stays writable after curl's FIN, so we end our side ourselves.
  socket.on("end", () => {
    console.log("server: curl closed its side");
    socket.end();
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const curl = spawn("curl", ["-s", "-i", `http://127.0.0.1:${port}/hello`]);
  let output = "";
  curl.stdout.on("data", (data) => (output += data));
  curl.on("error", (err) => {
    console.error("could not run curl:", err.message);
    process.exitCode = 1;
    server.close();
  });
  // server.close() calls back once the connection from curl has closed on our side too.
  curl.on("close", (code) => {
    server.close(() => {
      console.log("curl exited with", code, "and printed:");
      for (const line of output.split("\r\n")) console.log("  " + line);
    });
  });
});

// Prints:
// server: request line: GET /hello HTTP/1.1
// server: has a Host header: true
// server: curl closed its side
// curl exited with 0 and printed:
//   HTTP/1.1 200 OK
//   Content-Type: text/plain
//   Content-Length: 2
//
//   ok
