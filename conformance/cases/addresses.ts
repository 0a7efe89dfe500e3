/**
 * addresses: `address()`, `remoteAddress`/`remotePort`/`remoteFamily`,
 * `localAddress`/`localPort`/`localFamily` on both ends, IPv4 and IPv6, dual-stack servers,
 * `ipv6Only`, the `localAddress`/`localPort` connect options, and what these properties are
 * before connecting and after closing.
 *
 * Node facts (20, 22, 24):
 * - Before the connection is established all six properties are undefined and `address()`
 *   returns `{}`; families are the strings "IPv4"/"IPv6".
 * - After 'close', `address()` is `{}` and the local* properties are undefined; the remote*
 *   properties keep the values they had (Node caches the peer's name once read).
 * - A dual-stack server (listening on "::") sees an IPv4 client as "::ffff:127.0.0.1",
 *   family "IPv6".
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { closedPort, defineCase, delay, once } from "../harness.ts";
import { closed } from "./_shared.ts";
import type { Case, Ctx, Env } from "../harness.ts";

const needsIpv6 = (env: Env): string | undefined =>
  env.ipv6 ? undefined : "::1 is not available on this machine";

/** A connected client and the server's socket for it. */
async function connectedPair(
  ctx: Ctx,
  server: any,
  connectOptions: any,
): Promise<{ client: any; peer: any }> {
  const peerPromise = new Promise<any>((resolve) =>
    server.once("connection", (s: any) => resolve(ctx.track(s)))
  );
  const client = ctx.track(ctx.net.connect(connectOptions));
  const [peer] = await Promise.all([peerPromise, once(client, "connect")]);
  return { client, peer };
}

/** A client connected to a fresh server on 127.0.0.1, the server's socket for it, the port. */
async function ipv4Pair(ctx: Ctx): Promise<{ port: number; client: any; peer: any }> {
  const server = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
  const port = server.address().port;
  return { port, ...(await connectedPair(ctx, server, { host: "127.0.0.1", port })) };
}

function ends(socket: any) {
  return {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    remoteFamily: socket.remoteFamily,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    localFamily: socket.localFamily,
  };
}

const UNSET = {
  remoteAddress: undefined,
  remotePort: undefined,
  remoteFamily: undefined,
  localAddress: undefined,
  localPort: undefined,
  localFamily: undefined,
};

const cases: Case[] = [
  defineCase("addresses", "IPv4: both ends see each other's address, port and family", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
    const port = server.address().port;
    assert.deepEqual(server.address(), { address: "127.0.0.1", family: "IPv4", port });
    const { client, peer } = await connectedPair(ctx, server, { host: "127.0.0.1", port });
    const clientPort = client.localPort;
    assert.equal(typeof clientPort, "number");
    assert.ok(clientPort > 0);
    assert.deepEqual(ends(client), {
      remoteAddress: "127.0.0.1",
      remotePort: port,
      remoteFamily: "IPv4",
      localAddress: "127.0.0.1",
      localPort: clientPort,
      localFamily: "IPv4",
    });
    assert.deepEqual(ends(peer), {
      remoteAddress: "127.0.0.1",
      remotePort: clientPort,
      remoteFamily: "IPv4",
      localAddress: "127.0.0.1",
      localPort: port,
      localFamily: "IPv4",
    });
    assert.deepEqual(client.address(), { address: "127.0.0.1", family: "IPv4", port: clientPort });
    assert.deepEqual(peer.address(), { address: "127.0.0.1", family: "IPv4", port });
  }),

  defineCase("addresses", "IPv6 on ::1: addresses and family 'IPv6'", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "::1" });
    const port = server.address().port;
    assert.deepEqual(server.address(), { address: "::1", family: "IPv6", port });
    const { client, peer } = await connectedPair(ctx, server, { host: "::1", port });
    const clientPort = client.localPort;
    assert.deepEqual(ends(client), {
      remoteAddress: "::1",
      remotePort: port,
      remoteFamily: "IPv6",
      localAddress: "::1",
      localPort: clientPort,
      localFamily: "IPv6",
    });
    assert.deepEqual(ends(peer), {
      remoteAddress: "::1",
      remotePort: clientPort,
      remoteFamily: "IPv6",
      localAddress: "::1",
      localPort: port,
      localFamily: "IPv6",
    });
    assert.deepEqual(client.address(), { address: "::1", family: "IPv6", port: clientPort });
  }, { skip: needsIpv6 }),

  defineCase("addresses", "a dual-stack server on '::' accepts IPv4 as ::ffff:127.0.0.1", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "::" });
    const port = server.address().port;
    assert.deepEqual(server.address(), { address: "::", family: "IPv6", port });
    const { client, peer } = await connectedPair(ctx, server, { host: "127.0.0.1", port });
    assert.equal(client.remoteAddress, "127.0.0.1");
    assert.equal(client.remoteFamily, "IPv4");
    assert.deepEqual(ends(peer), {
      remoteAddress: "::ffff:127.0.0.1",
      remotePort: client.localPort,
      remoteFamily: "IPv6",
      localAddress: "::ffff:127.0.0.1",
      localPort: port,
      localFamily: "IPv6",
    });
  }, { skip: needsIpv6 }),

  defineCase("addresses", "a dual-stack server on '::' accepts ::1 too", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "::" });
    const port = server.address().port;
    const { peer } = await connectedPair(ctx, server, { host: "::1", port });
    assert.equal(peer.remoteAddress, "::1");
    assert.equal(peer.remoteFamily, "IPv6");
    assert.equal(peer.localAddress, "::1");
  }, { skip: needsIpv6 }),

  defineCase("addresses", "ipv6Only: true refuses IPv4 clients, accepts ::1", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port: 0, host: "::", ipv6Only: true }, () => resolve());
    });
    const port = server.address().port;
    assert.deepEqual(server.address(), { address: "::", family: "IPv6", port });
    const v4 = ctx.track(ctx.net.connect({ host: "127.0.0.1", port }));
    const [err] = await once(v4, "error");
    assert.equal(err.code, "ECONNREFUSED");
    assert.equal(err.address, "127.0.0.1");
    assert.equal(err.port, port);
    const { peer } = await connectedPair(ctx, server, { host: "::1", port });
    assert.equal(peer.remoteAddress, "::1");
  }, { skip: needsIpv6 }),

  defineCase("addresses", "localAddress and localPort connect options choose the client's end", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
    const port = server.address().port;
    const localPort = await closedPort(ctx);
    const { client, peer } = await connectedPair(ctx, server, {
      host: "127.0.0.1",
      port,
      localAddress: "127.0.0.1",
      localPort,
    });
    assert.equal(client.localAddress, "127.0.0.1");
    assert.equal(client.localPort, localPort);
    assert.equal(peer.remotePort, localPort);
    assert.equal(peer.remoteAddress, "127.0.0.1");
  }),

  defineCase("addresses", "localAddress alone picks the address, the port is ephemeral", async (ctx) => {
    const server = await ctx.listen(ctx.net.createServer(), { host: "::1" });
    const port = server.address().port;
    const { client, peer } = await connectedPair(ctx, server, {
      host: "::1",
      port,
      localAddress: "::1",
    });
    assert.equal(client.localAddress, "::1");
    assert.equal(client.localFamily, "IPv6");
    assert.ok(client.localPort > 0);
    assert.equal(peer.remotePort, client.localPort);
  }, { skip: needsIpv6 }),

  defineCase("addresses", "localPort already in use: 'error' from bind, no attempt", async (ctx) => {
    const busy = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
    const server = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
    const localPort = busy.address().port;
    const client = ctx.track(ctx.net.connect({
      host: "127.0.0.1",
      port: server.address().port,
      localAddress: "127.0.0.1",
      localPort,
    }));
    let attempts = 0;
    client.on("connectionAttempt", () => attempts++);
    const [err] = await once(client, "error");
    assert.equal(err.code, "EADDRINUSE");
    assert.equal(err.syscall, "bind");
    assert.equal(err.address, "127.0.0.1");
    assert.equal(err.port, localPort);
    assert.equal(typeof err.errno, "number");
    assert.equal(err.message, `bind EADDRINUSE 127.0.0.1:${localPort}`);
    assert.equal(attempts, 0, "the bind fails before the attempt is announced");
  }),

  defineCase("addresses", "localAddress that is not an IP throws ERR_INVALID_IP_ADDRESS", async (ctx) => {
    assert.throws(
      () => ctx.track(ctx.net.connect({ host: "127.0.0.1", port: 9, localAddress: "nope" })),
      (err: any) => {
        assert.equal(err instanceof TypeError, true);
        assert.equal(err.code, "ERR_INVALID_IP_ADDRESS");
        assert.equal(err.message, "Invalid IP address: nope");
        return true;
      },
    );
  }),

  defineCase("addresses", "before connecting: every property undefined, address() is {}", async (ctx) => {
    const fresh = ctx.track(new ctx.net.Socket());
    assert.deepEqual(ends(fresh), UNSET);
    assert.deepEqual(fresh.address(), {});
    const server = await ctx.server();
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    assert.equal(client.connecting, true);
    assert.deepEqual(ends(client), UNSET, "while connecting");
    assert.deepEqual(client.address(), {});
    await once(client, "connect");
    assert.equal(client.remoteAddress, "127.0.0.1");
  }),

  defineCase("addresses", "after close: address() is {}, local* undefined, remote* kept", async (ctx) => {
    const { client, peer } = await ipv4Pair(ctx);
    const open = ends(client);
    const peerOpen = ends(peer);
    const clientClosed = closed(client);
    const peerClosed = closed(peer);
    client.end();
    peer.end();
    await Promise.all([clientClosed, peerClosed]);
    for (const [socket, before] of [[client, open], [peer, peerOpen]] as const) {
      assert.deepEqual(socket.address(), {});
      assert.deepEqual(ends(socket), {
        remoteAddress: before.remoteAddress,
        remotePort: before.remotePort,
        remoteFamily: before.remoteFamily,
        localAddress: undefined,
        localPort: undefined,
        localFamily: undefined,
      });
    }
  }),

  defineCase("addresses", "after destroy(): address() is {} and local* undefined at once", async (ctx) => {
    const { port, client } = await ipv4Pair(ctx);
    assert.equal(client.remotePort, port);
    const done = closed(client);
    client.destroy();
    assert.deepEqual(client.address(), {});
    assert.equal(client.localAddress, undefined);
    assert.equal(client.localPort, undefined);
    assert.equal(client.remotePort, port, "the remote end, once read, is kept");
    await done;
    assert.equal(client.remoteAddress, "127.0.0.1");
  }),

  defineCase("addresses", "the ends are looked up on first use: never read before close, remote* stay undefined", async (ctx) => {
    const { port, client, peer } = await ipv4Pair(ctx);
    const clientClosed = closed(client);
    const peerClosed = closed(peer);
    // Read just after 'end', once the socket ended its own side too (allowHalfOpen is
    // false): both directions are shut, but the socket is not destroyed yet.
    const atEnd = once(peer, "end").then(() => ends(peer));
    client.end();
    await Promise.all([clientClosed, peerClosed]);
    assert.deepEqual(ends(client), UNSET, "nothing read while open: nothing kept");
    assert.deepEqual(client.address(), {});
    const seen = await atEnd;
    assert.equal(seen.remoteAddress, "127.0.0.1");
    assert.equal(typeof seen.remotePort, "number");
    assert.equal(seen.localPort, port);
    assert.equal(peer.remotePort, seen.remotePort, "read after 'end': kept after close");
  }),

  defineCase("addresses", "once the peer reset the connection, the remote end is unknown (as getpeername fails), the local one still known", async (ctx) => {
    // The server's socket closes at once; the client stays half-open past its FIN, and its
    // write makes the server's kernel answer with a RST (loopback: at once).
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.destroy();
    });
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    client.on("error", () => {});
    const clientClosed = closed(client);
    client.resume();
    await once(client, "end");
    client.write("a");
    // Deno's writes are asynchronous: the RST comes after this (README, what a runtime
    // cannot do), and the remote end is still known now.
    if (ctx.env.runtime !== "deno") {
      assert.deepEqual(
        [client.remoteAddress, client.remotePort, client.remoteFamily],
        [undefined, undefined, undefined],
      );
      assert.equal(client.localAddress, "127.0.0.1");
      assert.equal(client.localFamily, "IPv4");
      assert.equal(typeof client.localPort, "number");
      assert.deepEqual(client.address(), { address: "127.0.0.1", family: "IPv4", port: client.localPort });
    }
    // (Past the peer's FIN nothing is read any more: only a write would learn of the RST.)
    client.destroy();
    await clientClosed;
  }),

  defineCase("addresses", "right after end() both ends still answer, also when the peer's FIN is already in (our shutdown then closes the connection)", async (ctx) => {
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.end("bye");
    });
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const clientClosed = closed(client);
    client.pause(); // The peer's FIN stays in the kernel, unread.
    await once(client, "connect");
    await delay(20);
    client.end();
    assert.equal(client.remoteAddress, "127.0.0.1");
    assert.equal(client.remotePort, server.address().port);
    assert.equal(client.remoteFamily, "IPv4");
    assert.equal(client.localAddress, "127.0.0.1");
    assert.equal(typeof client.localPort, "number");
    client.resume();
    assert.equal(await clientClosed, false);
  }),

  defineCase("addresses", "a refused connection never had addresses", async (ctx) => {
    const port = await closedPort(ctx);
    const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    client.on("error", () => {});
    await closed(client);
    assert.deepEqual(ends(client), UNSET);
    assert.deepEqual(client.address(), {});
  }),

  defineCase("addresses", "server.address() is null before listen and after close", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    assert.equal(server.address(), null);
    await ctx.listen(server, { host: "127.0.0.1" });
    assert.equal(server.address().family, "IPv4");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(server.address(), null);
  }),

  defineCase("addresses", "with localPort every attempt binds its family's wildcard address", async (ctx) => {
    // localPort without localAddress: Node binds 0.0.0.0 (IPv4) or :: (IPv6) for each attempt.
    // Here that port is held by a listener on 127.0.0.1, so both binds fail: no attempt
    // events, one AggregateError of the two bind errors.
    const busy = await ctx.listen(ctx.net.createServer(), { host: "127.0.0.1" });
    const localPort = busy.address().port;
    const client = ctx.track(ctx.net.connect({
      host: "crossnet.test",
      port: 9,
      localPort,
      lookup: (_h: string, _o: any, cb: any) =>
        setTimeout(() => cb(null, [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]), 0),
    }));
    let attemptEvents = 0;
    for (const e of ["connectionAttempt", "connectionAttemptFailed"]) client.on(e, () => attemptEvents++);
    const [err] = await once(client, "error");
    assert.equal(err instanceof AggregateError, true);
    assert.equal(err.code, "EADDRINUSE");
    assert.deepEqual(
      err.errors.map((e: any) => [e.syscall, e.code, e.address, e.port, e.message]),
      [
        ["bind", "EADDRINUSE", "0.0.0.0", localPort, `bind EADDRINUSE 0.0.0.0:${localPort}`],
        ["bind", "EADDRINUSE", "::", localPort, `bind EADDRINUSE :::${localPort}`],
      ],
    );
    assert.equal(attemptEvents, 0);
  }, {
    skip: (env) =>
      !env.ipv6
        ? "::1 is not available on this machine"
        : env.platform !== "linux"
        ? "whether a wildcard bind conflicts with a 127.0.0.1 listener is OS-specific"
        : undefined,
  }),
];

export default cases;
