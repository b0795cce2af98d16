import * as http from 'http';
import * as http2 from 'http2';
import { EmulatorRequest, EmulatorResponse, EmulatorServer, RequestHandler } from '../../../emulator/server/server';

let server: EmulatorServer;
const seen: EmulatorRequest[] = [];

const echo: RequestHandler = async (request): Promise<EmulatorResponse> => {
  seen.push(request);
  if (request.rawPath === '/boom') {
    throw new Error('handler failed');
  }
  if (request.rawPath === '/stream') {
    async function* chunks(): AsyncGenerator<Buffer> {
      for (const part of ['one ', 'two ', 'three']) {
        yield Buffer.from(part);
      }
    }
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: chunks() };
  }
  return {
    status: 201,
    headers: { 'content-type': 'application/json', 'connection': 'keep-alive' },
    body: JSON.stringify({
      version: request.httpVersion, method: request.method, path: request.rawPath, query: request.query, body: request.body.toString(),
    }),
  };
};

beforeEach(async () => {
  seen.length = 0;
  server = await EmulatorServer.listen(echo, { dateHeader: () => 'Wed, 15 Jan 2025 09:30:00 GMT' });
});

afterEach(() => server.close());

function http1(path: string, body = ''): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.endpoint}${path}`, { method: 'POST', headers: { 'x-custom': 'a' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function h2c(path: string, body = ''): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(server.endpoint);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': path, 'x-custom': 'b' });
    let headers: http2.IncomingHttpHeaders = {};
    let text = '';
    stream.on('response', (h) => (headers = h));
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => {
      session.close();
      resolve({ status: Number(headers[':status']), headers, body: text });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

test('one port serves HTTP/1.1 and cleartext HTTP/2 (prior knowledge)', async () => {
  // WHEN
  const [one, two] = await Promise.all([http1('/a%3Ab/c?x=1&y=%20z&x=2', 'payload-1'), h2c('/model/m%3A0/converse', 'payload-2')]);

  // THEN
  expect(one.status).toBe(201);
  expect(JSON.parse(one.body)).toEqual({ version: '1.1', method: 'POST', path: '/a%3Ab/c', query: { x: ['1', '2'], y: ' z' }, body: 'payload-1' });
  expect(two.status).toBe(201);
  expect(JSON.parse(two.body)).toEqual({ version: '2', method: 'POST', path: '/model/m%3A0/converse', query: {}, body: 'payload-2' });
  expect(seen.find((r) => r.httpVersion === '2')?.headers).toMatchObject({ ':authority': `127.0.0.1:${server.port}`, 'x-custom': 'b' });
  expect(seen.find((r) => r.httpVersion === '1.1')?.headers).toMatchObject({ 'host': `127.0.0.1:${server.port}`, 'x-custom': 'a' });
});

test('the Date header comes from the emulator\'s clock, and HTTP/2 gets no connection headers', async () => {
  const one = await http1('/');
  const two = await h2c('/');
  expect(one.headers.date).toBe('Wed, 15 Jan 2025 09:30:00 GMT');
  expect(two.headers.date).toBe('Wed, 15 Jan 2025 09:30:00 GMT');
  expect(two.headers.connection).toBeUndefined();
});

test.each([['HTTP/1.1', http1], ['HTTP/2', h2c]] as const)('a streamed body arrives whole over %s', async (_, send) => {
  const response = await send('/stream');
  expect(response.body).toBe('one two three');
});

test('a failing handler becomes a 500, not a dead connection', async () => {
  const response = await http1('/boom');
  expect(response.status).toBe(500);
  expect(response.body).toContain('handler failed');
});

test('refusing and accepting connections keeps the port', async () => {
  const port = server.port;
  await server.stopAccepting();
  expect(server.accepting).toBe(false);
  await expect(http1('/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  await server.resumeAccepting();
  expect(server.port).toBe(port);
  await expect(http1('/')).resolves.toMatchObject({ status: 201 });
});
