/**
 * Reading the tree's files: a missing file is `undefined`, any other failure an error (exit 3)
 * naming the path.
 */
import { createHash, hash } from "node:crypto";
import { closeSync, constants, openSync, readFileSync, readSync } from "node:fs";
import { runtimeError } from "../errors.js";
import { ioReason } from "./atomic.js";

/**
 * The content of a file, or undefined when it is missing. Read through the shared buffer: a
 * small file costs open, one read and close, and one copy of exactly its size.
 */
export function readIfExists(path: string): Uint8Array | undefined {
  return withOpenFile(path, readFd);
}

/**
 * The UTF-8 text of a file: the same string, and the same errors, as `readFileSync(path, "utf8")`,
 * which is slower for large files (manifest.json) as it reads them in small chunks.
 */
export function readText(path: string): string {
  return readFileSync(path).toString("utf8");
}

/**
 * SHA-256 (hex) of a file's content, or undefined when it is missing. For checks that hash many
 * small files: the content is read into one reused buffer and never handed out.
 */
export function hashFileIfExists(path: string): string | undefined {
  return withOpenFile(path, sha256OfFd);
}

/**
 * Opened without blocking: a FIFO in a file's place (or a device) would otherwise block the
 * open, and with it the whole process, signals included. A regular file reads the same.
 */
const READ_NONBLOCK = constants.O_RDONLY | ((constants.O_NONBLOCK as number | undefined) ?? 0);

/** `use(fd)` of the file opened for reading, then closed; undefined when the file is missing. */
function withOpenFile<T>(path: string, use: (fd: number) => T): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_NONBLOCK);
  } catch (err) {
    throwUnlessMissing(path, err);
    return undefined;
  }
  try {
    try {
      return use(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throwUnlessMissing(path, err);
    return undefined;
  }
}

/** A missing file (ENOENT) is not an error; any other is thrown as an error naming `path`. */
function throwUnlessMissing(path: string, err: unknown): void {
  if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
  throw runtimeError(`cannot read ${path}: ${ioReason(err)}`, {
    reason: "io",
    cause: err,
  });
}

const CHUNK_SIZE = 64 * 1024;
/** The buffer every file is read into, hashed or copied out (allocated on first use). */
let chunk: Buffer | undefined;

/** SHA-256 (hex) of what is left to read from `fd`, in chunks of the shared buffer. */
function sha256OfFd(fd: number): string {
  chunk ??= Buffer.allocUnsafe(CHUNK_SIZE);
  const first = fillChunk(fd, chunk);
  // Most files fit in one chunk: hash those in one call.
  if (first < chunk.length) return hash("sha256", chunk.subarray(0, first), "hex");
  const h = createHash("sha256").update(chunk);
  for (let n = fillChunk(fd, chunk); n > 0; n = fillChunk(fd, chunk)) {
    h.update(chunk.subarray(0, n));
  }
  return h.digest("hex");
}

/** What is left to read from `fd`, as a new array. */
function readFd(fd: number): Uint8Array {
  chunk ??= Buffer.allocUnsafe(CHUNK_SIZE);
  const first = fillChunk(fd, chunk);
  if (first < chunk.length) return new Uint8Array(chunk.subarray(0, first));
  const parts: Uint8Array[] = [new Uint8Array(chunk)];
  let total = chunk.length;
  for (let n = fillChunk(fd, chunk); n > 0; n = fillChunk(fd, chunk)) {
    parts.push(new Uint8Array(chunk.subarray(0, n)));
    total += n;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Read from `fd` until `buf` is full or the file ends; returns the number of bytes read. A read
 * of a regular file returns fewer bytes than asked for only at the file's end (read(2)), so a
 * small file costs one read, not a second one to see the end.
 */
function fillChunk(fd: number, buf: Buffer): number {
  let filled = 0;
  while (filled < buf.length) {
    const want = buf.length - filled;
    const n = readSync(fd, buf, filled, want, null);
    filled += n;
    if (n < want) break;
  }
  return filled;
}
