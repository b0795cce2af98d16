/**
 * The emulator's transport: one loopback port that speaks HTTP/1.1 and cleartext HTTP/2.
 *
 * The SDK's bedrock-runtime and bedrock-agent-runtime clients speak HTTP/2; against an `http://`
 * endpoint that is HTTP/2 with prior knowledge (h2c). STS, the Bedrock control plane, DynamoDB and S3
 * speak HTTP/1.1. A raw `net.Server` reads the first bytes of each connection: the HTTP/2 client
 * preface starts with `PRI * HTTP/2.0`, so those connections go to an `http2` server and everything
 * else to an `http` server. One `AWS_ENDPOINT_URL` therefore serves every client.
 *
 * The server also owns the transport-level faults: refusing connections, dropping open sockets,
 * resetting one request's connection, or never answering.
 */
import * as http from 'http';
import * as http2 from 'http2';
import * as net from 'net';
import { Duplex } from 'stream';

/** A request as the services see it: transport details normalised away. */
export interface EmulatorRequest {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path exactly as received: still percent-encoded, without the query string. */
  readonly rawPath: string;
  /** The query string as received, without the `?`. */
  readonly rawQuery: string;
  /** The decoded query parameters; repeated keys become arrays. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** The headers with lower-case names. HTTP/2 pseudo-headers (`:authority`) are included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The complete request body. */
  readonly body: Buffer;
  /** `1.1` or `2`. */
  readonly httpVersion: '1.1' | '2';
  /** The client's address. */
  readonly remoteAddress: string;
}

/** A response body: bytes, text, or a stream of chunks written as they come (event streams). */
export type ResponseBody = Buffer | string | AsyncIterable<Uint8Array>;

/** A response to write back. */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: ResponseBody;
}

/** Instead of a response: break the connection (`reset`) or never answer (`hang`). */
export interface TransportAction {
  readonly transport: 'reset' | 'hang';
}

/** What handles every request. */
export type RequestHandler = (request: EmulatorRequest) => Promise<EmulatorResponse | TransportAction>;

/** Options for {@link EmulatorServer.listen}. */
export interface EmulatorServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (a random free port) */
  readonly port?: number;
  /** The value of the `Date` header, from the emulator's clock (real clients correct their clock skew from it). */
  readonly dateHeader: () => string;
}

const HTTP2_PREFACE_START = 'PRI';
/** HTTP/1.1 hop-by-hop headers that HTTP/2 forbids. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * Wraps a socket whose first bytes were already read, so the `http2` module (which reads from the
 * socket handle itself and would miss bytes pushed back with `unshift`) sees the whole stream.
 */
class PrefixedSocket extends Duplex {
  constructor(private readonly socket: net.Socket, prefix: Buffer) {
    super();
    this.push(prefix);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) {
        socket.pause();
      }
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (error) => this.destroy(error));
  }

  public get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  public override _read(): void {
    this.socket.resume();
  }

  public override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  public override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(() => callback());
  }

  public override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!rawQuery) {
    return query;
  }
  for (const pair of rawQuery.split('&')) {
    if (!pair) {
      continue;
    }
    const eq = pair.indexOf('=');
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function normaliseHeaders(raw: http.IncomingHttpHeaders | http2.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) {
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return headers;
}

function readBody(stream: { on(event: string, listener: (...args: never[]) => void): unknown }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', (error: Error) => reject(error));
  });
}

function isTransportAction(value: EmulatorResponse | TransportAction): value is TransportAction {
  return (value as TransportAction).transport !== undefined;
}

/** The one-port HTTP/1.1 + h2c server. */
export class EmulatorServer {
  /** Starts listening; resolves once the port is bound. */
  public static async listen(handler: RequestHandler, options: EmulatorServerOptions): Promise<EmulatorServer> {
    const server = new EmulatorServer(handler, options);
    await server.bind(options.port ?? 0);
    return server;
  }

  private readonly host: string;
  private readonly http1: http.Server;
  private readonly http2: http2.Http2Server;
  private listener: net.Server | undefined;
  private boundPort = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<http2.Http2Session>();
  private readonly hanging = new Set<() => void>();

  private constructor(private readonly handler: RequestHandler, private readonly options: EmulatorServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.http1 = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      void this.serveHttp1(req, res);
    });
    this.http2 = http2.createServer();
    this.http2.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => undefined);
    });
    this.http2.on('request', (req, res) => {
      void this.serveHttp2(req, res);
    });
  }

  /** The port the server listens on. */
  public get port(): number {
    return this.boundPort;
  }

  /** `http://127.0.0.1:<port>`: the value for `AWS_ENDPOINT_URL` or a client's `endpoint`. */
  public get endpoint(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  /** Whether the server currently accepts new connections. */
  public get accepting(): boolean {
    return this.listener !== undefined;
  }

  /** The number of open client connections. */
  public get openConnections(): number {
    return this.sockets.size;
  }

  /**
   * Stops accepting connections: new ones are refused (`ECONNREFUSED`). Open connections stay open
   * unless `dropOpen` is set.
   */
  public async stopAccepting(dropOpen = false): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        // close() only calls back once every connection ended; refusing starts at once.
        setImmediate(resolve);
      });
    }
    if (dropOpen) {
      this.dropConnections();
    }
  }

  /** Accepts connections again, on the same port. */
  public async resumeAccepting(): Promise<void> {
    if (!this.listener) {
      await this.bind(this.boundPort);
    }
  }

  /** Destroys every open connection (clients see `ECONNRESET` / a closed HTTP/2 session). */
  public dropConnections(): void {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    for (const session of this.sessions) {
      session.destroy();
    }
  }

  /** Stops the server and closes every connection. */
  public async close(): Promise<void> {
    for (const release of this.hanging) {
      release();
    }
    this.hanging.clear();
    await this.stopAccepting(true);
    this.http1.closeAllConnections();
  }

  private bind(port: number): Promise<void> {
    const listener = net.createServer((socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, this.host, () => {
        listener.off('error', reject);
        this.listener = listener;
        this.boundPort = (listener.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (received.length < HTTP2_PREFACE_START.length) {
        return;
      }
      socket.off('data', onData);
      socket.pause();
      if (received.subarray(0, HTTP2_PREFACE_START.length).toString('latin1') === HTTP2_PREFACE_START) {
        this.http2.emit('connection', new PrefixedSocket(socket, received));
      } else {
        socket.unshift(received);
        this.http1.emit('connection', socket);
      }
      socket.resume();
    };
    socket.on('data', onData);
  }

  private async serveHttp1(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.sendDate = false;
    const result = await this.handle(await emulatorRequest(req, '1.1', req.socket.remoteAddress));
    if (isTransportAction(result)) {
      if (result.transport === 'reset') {
        req.socket.destroy();
      } else {
        this.hang(() => req.socket.destroy(), req.socket);
      }
      return;
    }
    const headers = { ...result.headers, date: this.options.dateHeader() };
    await writeResponse(res, result, headers);
  }

  private async serveHttp2(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): Promise<void> {
    res.sendDate = false;
    const remoteAddress = (req.stream.session?.socket as { remoteAddress?: string } | undefined)?.remoteAddress;
    const result = await this.handle(await emulatorRequest(req, '2', remoteAddress));
    if (isTransportAction(result)) {
      if (result.transport === 'reset') {
        req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      } else {
        this.hang(() => req.stream.close(http2.constants.NGHTTP2_CANCEL), req.stream);
      }
      return;
    }
    const headers: Record<string, string> = { date: this.options.dateHeader() };
    for (const [name, value] of Object.entries(result.headers)) {
      if (!CONNECTION_HEADERS.has(name.toLowerCase())) {
        headers[name.toLowerCase()] = value;
      }
    }
    await writeResponse(res, result, headers);
  }

  private async handle(request: EmulatorRequest): Promise<EmulatorResponse | TransportAction> {
    try {
      return await this.handler(request);
    } catch (error) {
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `emulator failure: ${(error as Error).message}` }),
      };
    }
  }

  private hang(release: () => void, stream: NodeJS.EventEmitter): void {
    this.hanging.add(release);
    stream.once('close', () => this.hanging.delete(release));
  }
}

/** The transport-neutral request the dispatcher sees, read from an HTTP/1.1 or HTTP/2 request. */
async function emulatorRequest(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  httpVersion: EmulatorRequest['httpVersion'],
  remoteAddress: string | undefined,
): Promise<EmulatorRequest> {
  const body = await readBody(req).catch(() => Buffer.alloc(0));
  const [rawPath, rawQuery = ''] = splitUrl(req.url ?? '/');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath,
    rawQuery,
    query: parseQuery(rawQuery),
    headers: normaliseHeaders(req.headers),
    body,
    httpVersion,
    remoteAddress: remoteAddress ?? '127.0.0.1',
  };
}

function splitUrl(url: string): [string, string?] {
  const q = url.indexOf('?');
  return q < 0 ? [url] : [url.slice(0, q), url.slice(q + 1)];
}

type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

async function writeResponse(res: AnyResponse, response: EmulatorResponse, headers: Record<string, string>): Promise<void> {
  const body = response.body;
  try {
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
      (res as http.ServerResponse).writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    (res as http.ServerResponse).writeHead(response.status, headers);
    for await (const chunk of body) {
      if (res.destroyed) {
        return;
      }
      (res as http.ServerResponse).write(chunk);
    }
    res.end();
  } catch {
    res.destroy();
  }
}
