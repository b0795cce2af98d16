import { errorCode, isExpiredTokenError, isNetworkError } from '../../lambda-shim/sdk-errors';

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

function nodeError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('reading errors', () => {
  test.each([
    [serviceError('ExpiredTokenException', 'expired', 403), true],
    [Object.assign(new Error('x'), { Code: 'ExpiredToken' }), true],
    [serviceError('AccessDeniedException', 'x', 403), false],
    [undefined, false],
  ])('isExpiredTokenError, case %#', (error, expected) => {
    expect(isExpiredTokenError(error)).toBe(expected);
  });

  test('a service answer is never a network error, even if its code looks like one', () => {
    expect(isNetworkError(serviceError('RequestTimeout', 'x', 408))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('wrapped'), { cause: nodeError('ECONNRESET') }))).toBe(true);
    expect(errorCode('not an error')).toBeUndefined();
  });
});
