/**
 * The entry points' default export is the whole API as one object, as node:net's is: the
 * same values as the named exports, nothing missing. (Under Node: the root and the node
 * entry; the Deno and Bun entries are the same file shape, bound to their runtime.)
 *
 * @module
 */
import * as nodeNet from "node:net";
import { describe, expect, test } from "vitest";
import * as root from "../mod.ts";
import * as node from "../node.ts";

/** Named exports that are not node:net's API (an entry's own driver factory). */
const OWN = new Set(["default", "createNodeDriver"]);

describe.each([["crossnet", root], ["crossnet/node", node]])("%s", (_name, entry) => {
  test("the default export holds every named export, as the same value", () => {
    const api = entry.default as unknown as Record<string, unknown>;
    const named = Object.entries(entry).filter(([key, value]) => !OWN.has(key) && value !== undefined);
    expect(Object.keys(api).sort()).toEqual(named.map(([key]) => key).sort());
    for (const [key, value] of named) expect(api[key], key).toBe(value);
  });

  test("every function and class of node:net is there", () => {
    const api = entry.default as unknown as Record<string, unknown>;
    const theirs = Object.keys(nodeNet).filter((key) =>
      typeof (nodeNet as Record<string, unknown>)[key] === "function" &&
      // Node's internals: _createServerHandle, _normalizeArgs, _setSimultaneousAccepts.
      // BoundSocket (Node 24.x, a socket bound before use, with its file descriptor) is not
      // in crossnet: Deno's and Bun's sockets have no such step nor descriptors to hand out.
      !key.startsWith("_") && key !== "default" && key !== "BoundSocket"
    );
    for (const key of theirs) expect(typeof api[key], key).toBe("function");
  });
});
