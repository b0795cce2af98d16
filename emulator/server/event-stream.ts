/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`), used by ConverseStream,
 * InvokeModelWithResponseStream and InvokeAgent responses.
 *
 * A message is: total length (uint32 BE), headers length (uint32 BE), prelude CRC-32 (over those 8
 * bytes), the headers, the payload, and a message CRC-32 over everything before it. Each header is a
 * 1-byte name length, the name, a 1-byte value type, and the value (strings and byte arrays carry a
 * uint16 BE length). The emulator writes the framing itself so the real SDK's decoder, CRC checks
 * included, is what parses it.
 */
import { crc32 } from './crc32';

/** A header value: strings become type 7, buffers type 6, booleans types 0/1, numbers type 4 (int32). */
export type EventHeaderValue = string | Uint8Array | boolean | number;

/** One event-stream message. */
export interface EventStreamMessage {
  readonly headers: Readonly<Record<string, EventHeaderValue>>;
  readonly payload: Uint8Array;
}

const PRELUDE_LENGTH = 12;
const CRC_LENGTH = 4;

const enum HeaderType {
  BoolTrue = 0,
  BoolFalse = 1,
  Int32 = 4,
  ByteArray = 6,
  String = 7,
}

function encodeHeaders(headers: Readonly<Record<string, EventHeaderValue>>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 255) {
      throw new Error(`event-stream header name too long: ${name}`);
    }
    parts.push(Buffer.from([nameBytes.length]), nameBytes);
    if (typeof value === 'string' || value instanceof Uint8Array) {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
      const prefix = Buffer.alloc(3);
      prefix.writeUInt8(typeof value === 'string' ? HeaderType.String : HeaderType.ByteArray, 0);
      prefix.writeUInt16BE(bytes.length, 1);
      parts.push(prefix, bytes);
    } else if (typeof value === 'boolean') {
      parts.push(Buffer.from([value ? HeaderType.BoolTrue : HeaderType.BoolFalse]));
    } else {
      const int = Buffer.alloc(5);
      int.writeUInt8(HeaderType.Int32, 0);
      int.writeInt32BE(value, 1);
      parts.push(int);
    }
  }
  return Buffer.concat(parts);
}

/** Encodes one message in the event-stream framing. */
export function encodeEventStreamMessage(message: EventStreamMessage): Buffer {
  const headers = encodeHeaders(message.headers);
  const totalLength = PRELUDE_LENGTH + headers.length + message.payload.length + CRC_LENGTH;
  const out = Buffer.alloc(totalLength);
  out.writeUInt32BE(totalLength, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headers.copy(out, PRELUDE_LENGTH);
  Buffer.from(message.payload).copy(out, PRELUDE_LENGTH + headers.length);
  out.writeUInt32BE(crc32(out.subarray(0, totalLength - CRC_LENGTH)), totalLength - CRC_LENGTH);
  return out;
}

/**
 * An `event` message of a restJson event stream: `:event-type` names the union member, the payload is
 * that member's JSON.
 */
export function eventMessage(eventType: string, body: unknown): Buffer {
  return encodeEventStreamMessage({
    headers: { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    payload: Buffer.from(JSON.stringify(body), 'utf8'),
  });
}

/**
 * A modeled error inside a stream (`:message-type: exception`), e.g. a `throttlingException` member
 * of the ConverseStream output union.
 */
export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return encodeEventStreamMessage({
    headers: { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    payload: Buffer.from(JSON.stringify({ message }), 'utf8'),
  });
}

/**
 * Decodes a buffer holding whole messages (for tests and debugging). Verifies both CRCs.
 * @throws if the framing or a checksum is wrong
 */
export function decodeEventStream(data: Uint8Array): EventStreamMessage[] {
  const buf = Buffer.from(data);
  const messages: EventStreamMessage[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < PRELUDE_LENGTH + CRC_LENGTH) {
      throw new Error('event-stream: truncated message');
    }
    const totalLength = buf.readUInt32BE(offset);
    const headersLength = buf.readUInt32BE(offset + 4);
    if (crc32(buf.subarray(offset, offset + 8)) !== buf.readUInt32BE(offset + 8)) {
      throw new Error('event-stream: prelude checksum mismatch');
    }
    const end = offset + totalLength;
    if (crc32(buf.subarray(offset, end - CRC_LENGTH)) !== buf.readUInt32BE(end - CRC_LENGTH)) {
      throw new Error('event-stream: message checksum mismatch');
    }
    const headers: Record<string, EventHeaderValue> = {};
    let h = offset + PRELUDE_LENGTH;
    const headersEnd = h + headersLength;
    while (h < headersEnd) {
      const nameLength = buf.readUInt8(h);
      const name = buf.toString('utf8', h + 1, h + 1 + nameLength);
      h += 1 + nameLength;
      const type = buf.readUInt8(h);
      h += 1;
      if (type === HeaderType.BoolTrue || type === HeaderType.BoolFalse) {
        headers[name] = type === HeaderType.BoolTrue;
      } else if (type === HeaderType.Int32) {
        headers[name] = buf.readInt32BE(h);
        h += 4;
      } else if (type === HeaderType.String || type === HeaderType.ByteArray) {
        const length = buf.readUInt16BE(h);
        const value = buf.subarray(h + 2, h + 2 + length);
        headers[name] = type === HeaderType.String ? value.toString('utf8') : Uint8Array.from(value);
        h += 2 + length;
      } else {
        throw new Error(`event-stream: header type ${type} is not supported by this decoder`);
      }
    }
    messages.push({ headers, payload: Uint8Array.from(buf.subarray(headersEnd, end - CRC_LENGTH)) });
    offset = end;
  }
  return messages;
}
