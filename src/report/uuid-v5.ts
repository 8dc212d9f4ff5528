/**
 * RFC 4122 version-5 (name-based, SHA-1) UUIDs, as the audit formats name what they print. OSCAL
 * makes one per verdict and lists it again for each control its rule maps to (150,195 and 331,000
 * at 10,000 accounts): the text of a uuid is written from its bytes in one string, and a uuid is
 * kept as 16 bytes (uuidBytes) rather than as its text.
 */
import { hash } from 'node:crypto';

/** Namespace for trailproof's name-based UUIDs: uuidV5("urn:trailproof") in RFC 4122's URL namespace. */
export const TRAILPROOF_UUID_NAMESPACE = '757cb841-9c07-5a65-8e1b-f5c18aac16cb';

const UUID_BYTES = 16;
/** The length of a uuid's text. */
export const UUID_TEXT_CHARACTERS = 36;
/** Where the text of a uuid has a dash: after its 4th, 6th, 8th and 10th byte. */
const DASH_BEFORE_BYTE = [false, false, false, false, true, false, true, false, true, false, true, false, false, false, false, false];
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;

/** The text of the uuid whose 16 bytes start at `at`: one string, written whole. */
export function uuidTextAt(bytes: Uint8Array, at: number): string {
  writeUuidText(bytes, at, uuidText, 0);
  return uuidText.toString('latin1', 0, UUID_TEXT_CHARACTERS);
}

/**
 * Writes the text of the uuid whose 16 bytes start at `at` into `target` at `targetAt`, as its 36
 * ASCII bytes, and returns where it ends: a list of many uuids is written as bytes, with no string
 * made per uuid (OSCAL's related observations).
 */
export function writeUuidText(bytes: Uint8Array, at: number, target: Uint8Array, targetAt: number): number {
  let k = targetAt;
  for (let i = 0; i < UUID_BYTES; i++) {
    if (DASH_BEFORE_BYTE[i]) target[k++] = DASH;
    const byte = bytes[at + i]!;
    target[k++] = HEX_DIGITS[byte >> 4]!;
    target[k++] = HEX_DIGITS[byte & 0xf]!;
  }
  return k;
}

const uuidText = Buffer.allocUnsafe(UUID_TEXT_CHARACTERS);

/** Writes the 16 bytes of a uuid's text (lowercase or uppercase hex, with or without dashes) at `at`. */
export function uuidBytes(text: string, target: Uint8Array, at: number): void {
  let k = 0;
  for (let i = 0; i < UUID_BYTES; i++) {
    if (text.charCodeAt(k) === DASH) k++;
    target[at + i] = (hexValue(text.charCodeAt(k)) << 4) | hexValue(text.charCodeAt(k + 1));
    k += 2;
  }
}

function hexValue(code: number): number {
  // '0'-'9' are 0x30-0x39; 'a'-'f' 0x61-0x66 and 'A'-'F' 0x41-0x46 share their low bits.
  return code <= 0x39 ? code - 0x30 : (code & 0x7) + 9;
}

const TRAILPROOF_NAMESPACE_BYTES = Buffer.alloc(UUID_BYTES);
uuidBytes(TRAILPROOF_UUID_NAMESPACE, TRAILPROOF_NAMESPACE_BYTES, 0);

/** RFC 4122 version-5 UUID: SHA-1 of namespace bytes + name, with version and variant bits set. */
export function uuidV5(name: string, namespace: string = TRAILPROOF_UUID_NAMESPACE): string {
  return uuidV5Joined(name, '', namespace);
}

/**
 * uuidV5(head + tail): the two written into the hash input one after the other, so that a long
 * text after a short head (OSCAL's `evidence:` and an evidence's canonical text, 35 MB at 10,000
 * accounts) is not first copied into a flat string of the two. A surrogate pair split between them
 * is joined first, as it would be in the name.
 */
export function uuidV5Joined(head: string, tail: string, namespace: string = TRAILPROOF_UUID_NAMESPACE): string {
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff && tail !== '') return uuidV5Joined(head + tail, '', namespace);
  let ns = TRAILPROOF_NAMESPACE_BYTES;
  if (namespace !== TRAILPROOF_UUID_NAMESPACE) uuidBytes(namespace, (ns = Buffer.alloc(UUID_BYTES)), 0);
  // Namespace and name in one reused buffer, hashed in one call: a Hash object per uuid cost twice
  // as much (OSCAL makes one per verdict, measured on 150,000).
  const most = UUID_BYTES + (head.length + tail.length) * 3;
  if (most > uuidInput.length) {
    uuidInput = Buffer.allocUnsafe(Math.max(most, uuidInput.length * 2));
    inputViews = [];
    inputNamespace = undefined;
  }
  // The namespace is copied only when it changes: a Buffer copy per uuid was a call into C++
  // for 16 bytes that are almost always trailproof's.
  if (ns !== inputNamespace) {
    ns.copy(uuidInput, 0);
    inputNamespace = ns;
  }
  let end = UUID_BYTES + uuidInput.write(head, UUID_BYTES, 'utf8');
  if (tail !== '') end += uuidInput.write(tail, end, 'utf8');
  // The digest as Latin-1 text ('binary'): one character per byte, no Buffer made for it.
  const digest = hash('sha1', (inputViews[end] ??= uuidInput.subarray(0, end)), 'binary');
  for (let i = 0; i < UUID_BYTES; i++) digestBytes[i] = digest.charCodeAt(i);
  // Version 5 in the high half of the 7th byte, variant 10 in the top bits of the 9th.
  digestBytes[6] = (digestBytes[6]! & 0x0f) | 0x50;
  digestBytes[8] = (digestBytes[8]! & 0x3f) | 0x80;
  return uuidTextAt(digestBytes, 0);
}

let uuidInput = Buffer.allocUnsafe(1 << 12);
/** The namespace whose bytes uuidInput starts with. */
let inputNamespace: Buffer | undefined;
/** Views of the start of uuidInput by length: hash() takes no length, and a view made per uuid was an object per uuid. */
let inputViews: Buffer[] = [];
const digestBytes = Buffer.allocUnsafe(UUID_BYTES);
