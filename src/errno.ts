/**
 * System error numbers and descriptions as Node reports them on Linux (libuv's table):
 * adapters whose runtime gives a POSIX code but no errno get Node's number from here.
 *
 * @module
 */

const TABLE: Record<string, readonly [errno: number, description: string]> = {
  EACCES: [-13, "permission denied"],
  EADDRINUSE: [-98, "address already in use"],
  EADDRNOTAVAIL: [-99, "address not available"],
  EAFNOSUPPORT: [-97, "address family not supported"],
  EAGAIN: [-11, "resource temporarily unavailable"],
  EAI_AGAIN: [-3001, "temporary failure"],
  EAI_FAIL: [-3004, "permanent failure"],
  EAI_NODATA: [-3007, "no address"],
  EAI_NONAME: [-3008, "unknown node or service"],
  EALREADY: [-114, "connection already in progress"],
  EBADF: [-9, "bad file descriptor"],
  EBUSY: [-16, "resource busy or locked"],
  ECANCELED: [-125, "operation canceled"],
  ECONNABORTED: [-103, "software caused connection abort"],
  ECONNREFUSED: [-111, "connection refused"],
  ECONNRESET: [-104, "connection reset by peer"],
  EEXIST: [-17, "file already exists"],
  EHOSTDOWN: [-112, "host is down"],
  EHOSTUNREACH: [-113, "host is unreachable"],
  EINTR: [-4, "interrupted system call"],
  EINVAL: [-22, "invalid argument"],
  EISCONN: [-106, "socket is already connected"],
  EMFILE: [-24, "too many open files"],
  ENAMETOOLONG: [-36, "name too long"],
  ENETDOWN: [-100, "network is down"],
  ENETUNREACH: [-101, "network is unreachable"],
  ENFILE: [-23, "file table overflow"],
  ENOBUFS: [-105, "no buffer space available"],
  ENOENT: [-2, "no such file or directory"],
  ENOMEM: [-12, "not enough memory"],
  ENOTCONN: [-107, "socket is not connected"],
  ENOTDIR: [-20, "not a directory"],
  ENOTSOCK: [-88, "socket operation on non-socket"],
  ENOTSUP: [-95, "operation not supported on socket"],
  EOF: [-4095, "end of file"],
  EPERM: [-1, "operation not permitted"],
  EPIPE: [-32, "broken pipe"],
  EPROTO: [-71, "protocol error"],
  EPROTONOSUPPORT: [-93, "protocol not supported"],
  ETIMEDOUT: [-110, "connection timed out"],
};

/** Node's (negative, Linux) errno for a POSIX code, or `undefined` when unknown. */
export function errnoOf(code: string): number | undefined {
  return TABLE[code]?.[0];
}

/** libuv's description of a code (`EADDRINUSE` → "address already in use"). */
export function describeCode(code: string): string {
  return TABLE[code]?.[1] ?? "unknown error";
}

/** The POSIX code for one of Node's errno numbers, or `undefined` when unknown. */
export function codeOf(errno: number): string | undefined {
  for (const code in TABLE) if (TABLE[code]![0] === errno) return code;
  return undefined;
}
