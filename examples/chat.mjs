// A chat server with newline framing. TCP is a byte stream, not a message stream: one
// "data" event may carry half a message or three of them. So the server buffers what it
// receives, splits it on "\n" and keeps the incomplete tail for the next chunk. The first
// line a client sends is its name; every later line is broadcast to the other clients.
//
// Run: node examples/chat.mjs | deno run -A examples/chat.mjs | bun examples/chat.mjs
import net from "crossnet";

const clients = new Set();

function broadcast(line, except) {
  for (const client of clients) {
    if (client !== except) client.write(line + "\n");
  }
}

const server = net.createServer((socket) => {
  socket.setEncoding("utf8"); // "data" gives strings; characters split across chunks stay whole
  let buffer = "";
  let name;

  socket.on("data", (data) => {
    buffer += data;
    const messages = buffer.split("\n");
    buffer = messages.pop(); // the incomplete message, if any, waits for more data
    for (const message of messages) {
      if (name === undefined) {
        name = message;
        clients.add(socket);
        broadcast(`* ${name} joined`);
      } else {
        console.log(`server: ${name} says "${message}"`);
        broadcast(`${name}: ${message}`, socket);
      }
    }
  });

  socket.on("end", () => {
    clients.delete(socket);
    broadcast(`* ${name} left`);
    socket.end();
  });

  socket.on("error", (err) => console.error("server socket error:", err.message));
});

// A chat client: sends its name, then collects every line it receives. `next(text)` resolves
// once a line containing `text` has arrived, so the conversation below runs in order.
function join(port, name) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  const lines = [];
  const waiting = [];
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (data) => {
    buffer += data;
    const parts = buffer.split("\n");
    buffer = parts.pop();
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiting]) {
        if (line.includes(w.text)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  });
  const closed = new Promise((resolve) => socket.on("close", resolve));
  socket.write(name + "\n");
  const next = (text) =>
    lines.some((line) => line.includes(text))
      ? Promise.resolve()
      : new Promise((resolve) => waiting.push({ text, resolve }));
  return { socket, lines, next, closed };
}

server.listen(0, "127.0.0.1", async () => {
  const { port } = server.address();

  const alice = join(port, "alice");
  await alice.next("* alice joined");
  const bob = join(port, "bob");
  await bob.next("* bob joined");

  // One message cut in pieces, two messages in one write: the framing sorts it out.
  alice.socket.write("Hi b");
  alice.socket.write("ob\nHow are");
  alice.socket.write(" you? 👋\n");
  await bob.next("How are you?");

  bob.socket.write("Fine, thanks!\n");
  await alice.next("Fine, thanks!");

  bob.socket.end();
  await alice.next("* bob left");
  alice.socket.end();
  await Promise.all([alice.closed, bob.closed]);

  server.close(() => {
    for (const [name, client] of [["alice", alice], ["bob", bob]]) {
      console.log(`${name} saw:`);
      for (const line of client.lines) console.log("  " + line);
    }
  });
});

// Prints:
// server: alice says "Hi bob"
// server: alice says "How are you? 👋"
// server: bob says "Fine, thanks!"
// alice saw:
//   * alice joined
//   * bob joined
//   bob: Fine, thanks!
//   * bob left
// bob saw:
//   * bob joined
//   alice: Hi bob
//   alice: How are you? 👋
