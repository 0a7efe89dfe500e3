/**
 * What every entry point re-exports besides its driver-bound API: the public types, and the
 * runtime-neutral classes `BlockList` and `SocketAddress`.
 *
 * @module
 */

export type { Socket as SocketInstance, SocketOptions, OnReadOptions, SocketConnectOptions, TcpSocketConnectOptions, IpcSocketConnectOptions, AddressInfo, OpenedInfo, SocketOwner } from "./socket.ts";
export type { PipeDestination } from "./pipe.ts";
export type { Server as ServerInstance, ServerOptions, ListenOptions, ServerAddress, DropInfo } from "./server.ts";
export type { LookupFunction } from "./connector.ts";
export type { ConnectionInfo } from "./driver.ts";
export type { Net, ConnectFunction, SocketClass, ServerClass } from "./net.ts";
export type { BinaryType } from "./bytes.ts";
export type { CodedError } from "./errors.ts";
export type { Emitter, Listener } from "./emitter.ts";
export type { Encoding } from "./encoding.ts";
export type { OperatorStream, OperatorOptions, ConcurrentOperatorOptions } from "./stream_operators.ts";
export type { SocketAddressInitOptions, SocketAddressJSON, SocketAddressFamily } from "./socket_address.ts";
export type * from "./node_types.ts";
export { BlockList } from "./block_list.ts";
export { SocketAddress } from "./socket_address.ts";
