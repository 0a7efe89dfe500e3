// The connect-attempt logger. With `autoSelectFamily` (on by default), a socket connecting
// to a name tries each address the lookup gave, IPv6 and IPv4 in turn (Happy Eyeballs), and
// tells about each: "lookup" per address, then "connectionAttempt" and either "connect",
// "connectionAttemptFailed" or "connectionAttemptTimeout". When every attempt fails, "error"
// carries an AggregateError holding each attempt's error.
//
// /etc/hosts often maps localhost to 127.0.0.1 only; a custom `lookup` makes "localhost"
// give both ::1 and 127.0.0.1, as on the tutorial's machine. Ports are printed as PORT, so
// that the output is the same on every run.
//
// Run: node examples/connect-attempts.mjs | deno run -A examples/connect-attempts.mjs | bun examples/connect-attempts.mjs
import * as net from "crossnet";

// node:net's lookup contract, the one of dns.lookup: (hostname, options, callback); with
// `options.all` the callback takes a list of { address, family }. Like dns.lookup it answers
// asynchronously (an answer given synchronously would come before the listeners below).
function lookup(hostname, options, callback) {
  const addresses = [
    { address: "::1", family: 6 },
    { address: "127.0.0.1", family: 4 },
  ];
  setTimeout(() => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
}

function logAttempts(socket, port) {
  const show = (value) => typeof value === "string" ? JSON.stringify(value.replaceAll(String(port), "PORT")) : value === port ? "PORT" : String(value);
  const log = (event, fields) =>
    console.log(event, Object.entries(fields).map(([key, value]) => `${key}=${show(value)}`).join(" "));

  socket.on("lookup", (err, address, family, host) => log("lookup", { err, address, family, host }));
  socket.on("connectionAttempt", (ip, port, family) => log("connectionAttempt", { ip, port, family }));
  socket.on("connectionAttemptFailed", (ip, port, family, error) => {
    log("connectionAttemptFailed", { ip, port, family, code: error.code, message: error.message });
  });
  socket.on("connectionAttemptTimeout", (ip, port, family) => log("connectionAttemptTimeout", { ip, port, family }));
  socket.on("connect", () => log("connect", { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort }));
  socket.on("error", (err) => {
    log("error", { name: err.name, code: err.code, inner: err.errors?.length });
    for (const inner of err.errors ?? []) {
      log("  inner", {
        message: inner.message,
        code: inner.code,
        syscall: inner.syscall,
        address: inner.address,
        port: inner.port,
      });
    }
  });
  socket.on("close", (hadError) => log("close", { hadError }));
}

// A generous per-attempt timeout (the default is 250 ms): on a busy machine a refusal still
// comes before the attempt's timer, so the output stays the same.
const autoSelectFamilyAttemptTimeout = 2000;

// 1. A server on 127.0.0.1 only: ::1 is refused, then 127.0.0.1 connects.
const server = net.createServer((socket) => socket.end());
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();
console.log("== a server on 127.0.0.1 only");
const first = net.createConnection({ host: "localhost", port, lookup, autoSelectFamilyAttemptTimeout });
logAttempts(first, port);
await new Promise((resolve) => first.on("close", resolve));
await new Promise((resolve) => server.close(resolve));

// 2. The same port, now closed: every attempt fails.
console.log("== no server at all");
const second = net.createConnection({ host: "localhost", port, lookup, autoSelectFamilyAttemptTimeout });
logAttempts(second, port);
await new Promise((resolve) => second.on("close", resolve));

// Prints:
// == a server on 127.0.0.1 only
// lookup err=null address="::1" family=6 host="localhost"
// lookup err=null address="127.0.0.1" family=4 host="localhost"
// connectionAttempt ip="::1" port=PORT family=6
// connectionAttemptFailed ip="::1" port=PORT family=6 code="ECONNREFUSED" message="connect ECONNREFUSED ::1:PORT"
// connectionAttempt ip="127.0.0.1" port=PORT family=4
// connect remoteAddress="127.0.0.1" remotePort=PORT
// close hadError=false
// == no server at all
// lookup err=null address="::1" family=6 host="localhost"
// lookup err=null address="127.0.0.1" family=4 host="localhost"
// connectionAttempt ip="::1" port=PORT family=6
// connectionAttemptFailed ip="::1" port=PORT family=6 code="ECONNREFUSED" message="connect ECONNREFUSED ::1:PORT"
// connectionAttempt ip="127.0.0.1" port=PORT family=4
// connectionAttemptFailed ip="127.0.0.1" port=PORT family=4 code="ECONNREFUSED" message="connect ECONNREFUSED 127.0.0.1:PORT"
// error name="AggregateError" code="ECONNREFUSED" inner=2
//   inner message="connect ECONNREFUSED ::1:PORT" code="ECONNREFUSED" syscall="connect" address="::1" port=PORT
//   inner message="connect ECONNREFUSED 127.0.0.1:PORT" code="ECONNREFUSED" syscall="connect" address="127.0.0.1" port=PORT
// close hadError=true
