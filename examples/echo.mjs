// Echo server and client: the first program of every node:net tutorial. The server answers
// each message with "Echo: ..."; the client says hello, reads the answer and hangs up.
// Only the import differs from node:net: `import * as net from "node:net"`.
//
// Run: node examples/echo.mjs | deno run -A examples/echo.mjs | bun examples/echo.mjs
import * as net from "crossnet";

const server = net.createServer((socket) => {
  socket.on("data", (data) => {
    console.log("server received:", data.toString());
    socket.write(`Echo: ${data.toString()}`);
  });

  socket.on("end", () => {
    console.log("server: client disconnected");
  });
});

server.on("error", (err) => {
  console.error("Server error:", err.message);
});

// Port 0: the OS picks a free port, which server.address() then tells.
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();

  const client = net.createConnection({ port, host: "127.0.0.1" }, () => {
    console.log("client: connected to server");
    client.write("Hello from client!");
  });

  client.on("data", (data) => {
    console.log("client received:", data.toString());
    client.end(); // send FIN; the server's socket ends its side in turn
  });

  client.on("end", () => {
    console.log("client: disconnected from server");
  });

  client.on("error", (err) => {
    console.error("Client error:", err.message);
  });

  // close() stops accepting and calls back once every connection has closed.
  client.on("close", () => server.close(() => console.log("server closed")));
});

// Prints:
// client: connected to server
// server received: Hello from client!
// client received: Echo: Hello from client!
// server: client disconnected
// client: disconnected from server
// server closed
