/**
 * A driver connection with no network under it, for the scripts that measure the core
 * alone (`core_path.ts`, `connect_path.ts`): every method does nothing unless `overrides`
 * gives it something to do; `info()` reports 127.0.0.1 on both ends.
 *
 * @module
 */

import type { DriverConnection } from "../../src/driver.ts";

/**
 * A connection that does nothing but what `overrides` says.
 *
 * @param overrides The methods that do something (start, write, shutdown...).
 * @returns The connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeConnection } from "./fake_connection.ts";
 *
 * const conn = fakeConnection({ write: () => true });
 * assert.equal(conn.write(new Uint8Array(1), () => {}), true);
 * ```
 */
export function fakeConnection(overrides: Partial<DriverConnection>): DriverConnection {
  return {
    info: () => ({
      localAddress: "127.0.0.1",
      localPort: 1,
      localFamily: "IPv4",
      remoteAddress: "127.0.0.1",
      remotePort: 2,
      remoteFamily: "IPv4",
    }),
    start() {},
    pause() {},
    resume() {},
    write: () => true,
    shutdown: (done) => done(),
    close() {},
    reset() {},
    setNoDelay() {},
    setKeepAlive() {},
    ref() {},
    unref() {},
    ...overrides,
  };
}
