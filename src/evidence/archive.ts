/**
 * A minimal POSIX ustar writer and reader for evidence packages. Written here rather than taken
 * from a library so every byte is under our control: the same files give the same archive on any
 * machine (sorted entries, fixed mtime/uid/gid/mode, no user names, gzip without a timestamp), and
 * the reader refuses anything an auditor's `tar -xzf` could turn into a surprise (links, absolute
 * or parent paths, duplicates).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { UserError } from '../shared/errors.ts';

export interface ArchiveEntry {
  /** Relative POSIX path ("reports/trailproof.json"). */
  path: string;
  data: Buffer;
}

const BLOCK = 512;
const FILE_MODE = 0o644;
/** The gzip header's OS byte; 255 ("unknown") so Windows and Linux packers agree. */
const GZIP_OS_UNKNOWN = 255;

export function writeTarGz(entries: ArchiveEntry[], mtime: Date): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seconds = Math.floor(mtime.getTime() / 1000);
  const blocks: Buffer[] = [];
  let previous: string | undefined;
  for (const entry of sorted) {
    checkEntryPath(entry.path, 'archive');
    if (entry.path === previous) throw new Error(`duplicate archive entry ${entry.path}`);
    previous = entry.path;
    blocks.push(header(entry.path, entry.data.length, seconds), entry.data, Buffer.alloc(padding(entry.data.length)));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  // mtime 0 in the gzip header is the default of zlib's gzip wrapper; only the OS byte varies.
  const gz = gzipSync(Buffer.concat(blocks), { level: 9 });
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
}

/** Every regular file of a .tar.gz; throws UserError naming `label` when it is not one we can trust. */
export function readTarGz(archive: Buffer, label: string): ArchiveEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch (err) {
    throw new UserError(`${label}: not a gzip archive (${(err as Error).message})`);
  }
  const entries: ArchiveEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    if (checksum(block) !== octal(block, 148, 8)) throw new UserError(`${label}: corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(block[156] ?? 0);
    const path = [text(block, 345, 155), text(block, 0, 100)].filter(Boolean).join('/');
    const size = octal(block, 124, 12);
    if (type !== '0' && type !== '\0') throw new UserError(`${label}: ${path}: only regular files are allowed in an evidence package (tar type "${type}")`);
    checkEntryPath(path, label);
    if (seen.has(path)) throw new UserError(`${label}: ${path} appears twice in the archive`);
    seen.add(path);
    const start = offset + BLOCK;
    if (!Number.isSafeInteger(size) || start + size > tar.length) throw new UserError(`${label}: ${path}: truncated archive`);
    entries.push({ path, data: Buffer.from(tar.subarray(start, start + size)) });
    offset = start + size + padding(size);
  }
  return entries;
}

/** Throws unless `path` is relative, with no empty, "." or ".." part: it must stay inside the folder it is extracted to. */
export function checkEntryPath(path: string, label: string): void {
  const bad = path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0') || path.split('/').some((p) => p === '' || p === '.' || p === '..');
  if (bad) throw new UserError(`${label}: unsafe path "${path}" in archive (must be relative, without "." or "..")`);
}

function header(path: string, size: number, mtimeSeconds: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(path);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, FILE_MODE);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtimeSeconds);
  block.write('0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  writeOctal(block, 148, 7, checksum(block));
  block[155] = 0x20;
  return block;
}

/** ustar keeps names over 100 bytes as prefix + "/" + name, split at a slash. */
function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new UserError(`${path}: path too long for a tar archive`);
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

function octal(block: Buffer, offset: number, length: number): number {
  const raw = text(block, offset, length).trim();
  return raw === '' ? 0 : /^[0-7]+$/.test(raw) ? parseInt(raw, 8) : NaN;
}

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
