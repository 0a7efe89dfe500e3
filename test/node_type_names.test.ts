/**
 * TypeScript written against node:net names its types `net.Socket`, `net.Server`,
 * `net.AddressInfo`, `net.NetConnectOpts`...: with crossnet those names are there too, as
 * named type exports, on `import * as net`, and on the default export (`import net from
 * "crossnet"`), so such code compiles with only the import changed. `npm test`'s type
 * check compiles this file; the test runs the same code.
 *
 * @module
 */
import { once } from "node:events";
import { describe, expect, expectTypeOf, test } from "vitest";
import net from "../mod.ts";
import * as netNs from "../mod.ts";
import { createServer, Server, Socket, type AddressInfo, type NetConnectOpts, type ServerOpts } from "../mod.ts";

/** A handler typed as node:net code types it. */
function echo(socket: Socket): void {
  socket.on("data", (chunk: Uint8Array) => socket.write(chunk));
}

class Tagged extends Socket {
  tag = "tagged";
}

describe("node:net's type names", () => {
  test("Socket and Server are types as well as values, on every import style", async () => {
    const options: ServerOpts = { allowHalfOpen: false };
    const server: Server = createServer(options, echo);
    const viaDefault: net.Server = server;
    const viaNamespace: netNs.Server = server;
    expect(viaDefault).toBe(viaNamespace);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const address: net.AddressInfo = server.address() as AddressInfo;
      const connectOptions: NetConnectOpts = { host: "127.0.0.1", port: address.port };
      const socket: net.Socket = net.connect(connectOptions);
      const same: netNs.Socket = socket;
      expectTypeOf(same).toEqualTypeOf<Socket>();
      socket.end("hi");
      const [chunk] = await once(socket, "data");
      expect(String(chunk)).toBe("hi");
      await once(socket, "close");
      const tagged: Socket = new Tagged();
      expect(tagged).toBeInstanceOf(Socket);
      expect((tagged as Tagged).tag).toBe("tagged");
      tagged.destroy();
    } finally {
      server.close();
    }
  });
});
