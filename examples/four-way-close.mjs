// TCP's 4-way close, initiated by either side. socket.end() sends a FIN ("I will write no
// more"); the peer sees it as its "end" event and, when it is done writing, ends its side
// in turn. (The ACKs are the kernel's business: no event shows them.) First the client
// closes first, then the server does.
//
// Run: node examples/four-way-close.mjs | deno run -A examples/four-way-close.mjs | bun examples/four-way-close.mjs
import * as net from "crossnet";

function clientInitiates() {
  return new Promise((resolve) => {
    // TCP Server
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    server.on("connection", (socket) => {
      socket.on("end", () => {
        console.log(`Step 2: TCP Server received TCP Client's FIN via socket.on("end")`);
        console.log("Step 3: TCP Server initiates FIN via socket.end()");
        socket.end();
      });
    });

    server.on("listening", () => {
      // TCP Client
      const socket = net.createConnection({ host: "127.0.0.1", port: server.address().port });
      socket.on("connect", () => {
        console.log("Step 1: TCP Client initiates FIN via socket.end()");
        socket.end();
      });
      socket.on("end", () => {
        console.log(`Step 4: TCP Client received TCP Server's FIN via socket.on("end")`);
      });
      socket.on("close", () => server.close(resolve));
    });
  });
}

function serverInitiates() {
  return new Promise((resolve) => {
    // TCP Server
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    server.on("connection", (socket) => {
      console.log("Step 1: TCP Server initiates FIN via socket.end()");
      socket.end();
      socket.on("end", () => {
        console.log(`Step 4: TCP Server received TCP Client's FIN via socket.on("end")`);
      });
    });

    server.on("listening", () => {
      // TCP Client
      const socket = net.createConnection({ host: "127.0.0.1", port: server.address().port });
      socket.on("end", () => {
        console.log(`Step 2: TCP Client received TCP Server's FIN via socket.on("end")`);
        console.log("Step 3: TCP Client initiates FIN via socket.end()");
        socket.end();
      });
      socket.on("close", () => server.close(resolve));
    });
  });
}

console.log("== the client closes first");
await clientInitiates();
console.log("== the server closes first");
await serverInitiates();

// Prints:
// == the client closes first
// Step 1: TCP Client initiates FIN via socket.end()
// Step 2: TCP Server received TCP Client's FIN via socket.on("end")
// Step 3: TCP Server initiates FIN via socket.end()
// Step 4: TCP Client received TCP Server's FIN via socket.on("end")
// == the server closes first
// Step 1: TCP Server initiates FIN via socket.end()
// Step 2: TCP Client received TCP Server's FIN via socket.on("end")
// Step 3: TCP Client initiates FIN via socket.end()
// Step 4: TCP Server received TCP Client's FIN via socket.on("end")
