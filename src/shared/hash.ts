import { createHash, hash } from 'node:crypto';

/** Bytes up to which one crypto.hash call is used: Node recommends a Hash object for larger data. */
const ONE_CALL_MAX = 1 << 20;

/** Hex SHA-256 of bytes, or of a string's UTF-8 encoding. Small data in one call, no Hash object: reports hash once per verdict. */
export function sha256Hex(data: Uint8Array | string): string {
  return data.length <= ONE_CALL_MAX ? hash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}
