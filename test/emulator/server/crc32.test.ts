import { crc32, crc32Base64 } from '../../../emulator/server/crc32';

test.each([
  ['', 0x00000000],
  ['123456789', 0xcbf43926],
  ['The quick brown fox jumps over the lazy dog', 0x414fa339],
])('crc32(%j) is the IEEE/zlib value', (text, expected) => {
  expect(crc32(Buffer.from(text))).toBe(expected);
});

test('it can be computed in pieces', () => {
  const whole = crc32(Buffer.from('hello hub account'));
  expect(crc32(Buffer.from(' account'), crc32(Buffer.from('hello hub')))).toBe(whole);
});

test('the base64 form is what S3 puts in x-amz-checksum-crc32', () => {
  expect(crc32Base64(Buffer.from('hello'))).toBe('NhCmhg==');
});
