/**
 * CRC-32 (IEEE 802.3, the zlib polynomial), as used by the AWS event-stream framing, DynamoDB's
 * `x-amz-crc32` header and S3's `x-amz-checksum-crc32`. Node 20's zlib has no `crc32()`, so this is
 * the classic table-driven implementation.
 */
/* eslint-disable no-bitwise -- a CRC is bit arithmetic; there is no clearer way to write it */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `data`, as an unsigned 32-bit integer.
 * @param previous the CRC of the bytes before `data`, to checksum in pieces
 */
export function crc32(data: Uint8Array, previous = 0): number {
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC-32 of `data` as 4 big-endian bytes, base64-encoded (the `x-amz-checksum-crc32` format). */
export function crc32Base64(data: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data), 0);
  return out.toString('base64');
}
