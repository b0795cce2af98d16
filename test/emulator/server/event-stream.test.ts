import { decodeEventStream, encodeEventStreamMessage, eventMessage, exceptionMessage } from '../../../emulator/server/event-stream';

test('a message round-trips with every header type the emulator writes', () => {
  const message = { headers: { ':event-type': 'chunk', 'flag': true, 'off': false, 'count': -7, 'raw': Uint8Array.from([1, 2, 3]) }, payload: Buffer.from('{"a":1}') };
  const [decoded] = decodeEventStream(encodeEventStreamMessage(message));
  expect(decoded.headers).toEqual(message.headers);
  expect(Buffer.from(decoded.payload).toString()).toBe('{"a":1}');
});

test('the framing is prelude (lengths + CRC), headers, payload, message CRC', () => {
  const frame = eventMessage('messageStart', { role: 'assistant' });
  expect(frame.readUInt32BE(0)).toBe(frame.length);
  const headersLength = frame.readUInt32BE(4);
  expect(frame.subarray(12 + headersLength, frame.length - 4).toString()).toBe('{"role":"assistant"}');
});

test('several messages decode in order, and an exception carries its type', () => {
  const decoded = decodeEventStream(Buffer.concat([eventMessage('a', {}), exceptionMessage('throttlingException', 'slow down')]));
  expect(decoded.map((m) => m.headers[':message-type'])).toEqual(['event', 'exception']);
  expect(decoded[1].headers[':exception-type']).toBe('throttlingException');
});

test.each([
  ['the prelude', 9, /prelude checksum mismatch/],
  ['the payload', -6, /message checksum mismatch/],
])('a flipped byte in %s is caught by its CRC', (_, index, error) => {
  const frame = eventMessage('chunk', { bytes: 'AAAA' });
  const position = index < 0 ? frame.length + index : index;
  frame[position] = frame[position] ^ 0xff; // eslint-disable-line no-bitwise
  expect(() => decodeEventStream(frame)).toThrow(error);
});
