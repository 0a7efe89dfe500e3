// A tutorial's HTTP request logger, in CommonJS as the tutorial wrote it: the server reads
// the request until the blank line after its head, ends the request side with
// `socket.push(null)`, and answers from its `end` listener. A client made with
// net.createConnection sends a request with a body and prints the answer.
//
// Run: node examples/http-request-log.cjs | deno run -A examples/http-request-log.cjs | bun examples/http-request-log.cjs
const net = require("crossnet");

const server = net.createServer((socket) => {
  let header = "";
  let body = "";
  let message = "";
  socket.on("data", (data) => {
    message += data.toString();
    // A simple cut; a real server would read Content-Length bytes of body.
    if (message.includes("\r\n\r\n")) {
      const index = message.indexOf("\r\n\r\n");
      header = message.slice(0, index);
      body = message.slice(index + 4);
      socket.push(null);
    }
  });

  socket.on("end", () => {
    console.log("header:");
    for (const line of header.split("\r\n")) console.log("  " + line);
    console.log("body:", body);
    socket.write("HTTP/1.1 200 OK\r\n");
    socket.write("content-type: text/plain\r\n");
    socket.write("content-length: 15\r\n");
    socket.write("\r\n");
    socket.end("response data\r\n");
  });
});

server.on("error", (error) => {
  console.log(error);
});

server.listen(0, "127.0.0.1", () => {
  let content = "";
  const client = net.createConnection({ port: server.address().port, host: "127.0.0.1" }, () => {
    client.write("POST /log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12\r\n\r\nrequest data");
  });
  client.on("data", (data) => {
    content += data;
  });
  client.on("end", () => {
    console.log("client got:");
    for (const line of content.split("\r\n")) console.log("  " + line);
  });
  client.on("close", () => server.close());
});

// Prints:
// header:
//   POST /log HTTP/1.1
//   Host: 127.0.0.1
//   Content-Length: 12
// body: request data
// client got:
//   HTTP/1.1 200 OK
//   content-type: text/plain
//   content-length: 15
//
//   response data
