/**
 * A small loopback stand-in for STS and Bedrock, for the shim's tests: real SDK clients talk to it
 * over real HTTP (HTTP/1.1 for STS and the Bedrock control plane, cleartext HTTP/2 for
 * bedrock-runtime and bedrock-agent-runtime, on one port). It records who signed each request and
 * can be told to fail.
 *
 * It verifies no signatures and evaluates no policies: the emulator in `emulator/` does that.
 */

import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly service: 'sts' | 'bedrock' | 'bedrock-runtime' | 'bedrock-agent-runtime' | 'unknown';
  /** `AssumeRole`, `GetCallerIdentity`, `Converse`, `GetFoundationModel`, `InvokeAgent`, `Retrieve`, … */
  readonly operation: string;
  /** The request path (decoded), for Bedrock requests. */
  readonly path?: string;
  readonly protocol: 'http/1.1' | 'h2';
  readonly auth: 'sigv4' | 'bearer' | 'none';
  /** From `Authorization: AWS4-HMAC-SHA256 Credential=<AKID>/…`. */
  readonly accessKeyId?: string;
  /** `X-Amz-Security-Token`. */
  readonly securityToken?: string;
  /** The region of the SigV4 credential scope. */
  readonly signingRegion?: string;
  /** Form parameters (STS). */
  readonly params: Readonly<Record<string, string>>;
}

/** The session tags of an AssumeRole request (`Tags.member.N.Key` / `.Value`), as an object. */
export function tagsOf(request: RecordedRequest): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let n = 1; request.params[`Tags.member.${n}.Key`] !== undefined; n++) {
    tags[request.params[`Tags.member.${n}.Key`]] = request.params[`Tags.member.${n}.Value`];
  }
  return tags;
}

/** Credentials the server has issued. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  /** The role they were issued for. */
  readonly roleArn: string;
}

/** How AssumeRole is to fail. */
export type AssumeRoleFailure =
  | { readonly kind: 'access-denied'; readonly variant: 'identity-policy' | 'trust-policy' | 'unspecified' }
  | { readonly kind: 'duration-role-chaining' }
  | { readonly kind: 'throttling' }
  /** AccessDenied on sts:TagSession or sts:SetSourceIdentity, blamed on one side or on none. */
  | { readonly kind: 'attribution-denied'; readonly action: 'sts:TagSession' | 'sts:SetSourceIdentity'; readonly variant: 'identity-policy' | 'trust-policy' | 'unspecified' }
  | { readonly kind: 'packed-policy-too-large' }
  | { readonly kind: 'invalid-tags' }
  /** Drop the connection without an answer. */
  | { readonly kind: 'reset' }
  /** Accept the request and never answer. */
  | { readonly kind: 'hang' };

export interface LoopbackAwsOptions {
  /** The clock credential expirations are computed with (share it with the shim). */
  readonly clock?: () => number;
}

/** The workload principal STS names in its AccessDenied messages. */
export const WORKLOAD_CALLER_ARN = 'arn:aws:sts::222233334444:assumed-role/workload-function-role/workload-function';

export class LoopbackAws {
  /** Starts a server on 127.0.0.1 and a random port. */
  public static async start(options: LoopbackAwsOptions = {}): Promise<LoopbackAws> {
    const server = new LoopbackAws(options.clock ?? Date.now);
    await server.listen();
    return server;
  }

  /** `http://127.0.0.1:<port>`. */
  public endpoint = '';
  /** Every request, in arrival order. */
  public readonly requests: RecordedRequest[] = [];
  /** Every set of credentials issued by AssumeRole, in order. */
  public readonly issued: IssuedCredentials[] = [];
  /** When set, every AssumeRole fails this way. */
  public assumeRoleFailure: AssumeRoleFailure | undefined;
  /** AssumeRole of these roles fails this way (after {@link assumeRoleFailure}). */
  public readonly assumeRoleFailures = new Map<string, AssumeRoleFailure>();
  /** When set, AssumeRole reports sessions in this account instead of the role's. */
  public assumedAccount: string | undefined;
  /** AssumeRole answers after this many milliseconds (real time). */
  public assumeRoleDelayMs = 0;
  /** Lifetime of issued credentials, instead of the requested DurationSeconds. */
  public credentialLifetimeSeconds: number | undefined;
  /** Bedrock answers ExpiredTokenException to requests signed with these access key ids. */
  public readonly expiredKeys = new Set<string>();
  /** Bedrock answers ExpiredTokenException to every request signed with issued credentials. */
  public expireAllIssued = false;
  /** When set, Bedrock answers AccessDeniedException with this message. */
  public bedrockAccessDenied: string | undefined;
  /** When set, Bedrock answers ResourceNotFoundException. */
  public bedrockNotFound = false;

  readonly #clock: () => number;
  readonly #assumedArns: string[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #h1 = http.createServer((req, res) => this.#onHttp1(req, res));
  readonly #h2 = http2.createServer();
  readonly #server = net.createServer((socket) => this.#route(socket));

  private constructor(clock: () => number) {
    this.#clock = clock;
    this.#h2.on('stream', (stream, headers) => this.#onHttp2(stream, headers));
    this.#h2.on('session', (session) => session.on('error', () => undefined));
  }

  /** How many requests of this operation arrived. */
  public count(operation: string): number {
    return this.requests.filter((r) => r.operation === operation).length;
  }

  /** The requests of this operation. */
  public only(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** The role whose issued credentials signed `request` (undefined for any other signer). */
  public roleOf(request: RecordedRequest): string | undefined {
    return this.issued.find((c) => c.accessKeyId === request.accessKeyId)?.roleArn;
  }

  /** Stops listening and drops every connection. */
  public async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = this.#server.address() as net.AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  /** One port for both protocols: a cleartext HTTP/2 client opens with `PRI * HTTP/2.0`. */
  #route(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk.toString('latin1').startsWith('PRI ') ? this.#h2 : this.#h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  }

  #onHttp1(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = req.headers as Record<string, string | undefined>;
      const reply = (status: number, type: string, text: string, extra: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, ...extra });
        res.end(text);
      };
      if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        this.#onSts(Object.fromEntries(new URLSearchParams(body)), headers, reply, () => req.socket.destroy());
        return;
      }
      const model = /^\/foundation-models\/([^/?]+)/.exec(req.url ?? '');
      const record = this.#record(model ? 'bedrock' : 'unknown', model ? 'GetFoundationModel' : `${req.method} ${req.url}`, 'http/1.1', headers, {});
      const denied = this.#bedrockError(record);
      if (denied) return reply(denied.status, 'application/json', denied.body, { 'x-amzn-errortype': denied.type });
      if (!model) return reply(404, 'application/json', '{"message":"not found"}', { 'x-amzn-errortype': 'ResourceNotFoundException' });
      const id = decodeURIComponent(model[1]);
      return reply(200, 'application/json', JSON.stringify({
        modelDetails: { modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id}`, modelId: id, modelName: id, providerName: 'Loopback' },
      }));
    });
  }

  #onHttp2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const rawPath = String(headers[':path'] ?? '');
    const path = decodeURIComponent(rawPath);
    stream.resume();
    stream.on('end', () => {
      const route = H2_ROUTES.find(([pattern]) => pattern.test(rawPath));
      const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])) as Record<string, string | undefined>;
      const record = this.#record(route?.[1] ?? 'unknown', route?.[2] ?? `POST ${path}`, 'h2', flat, {}, path);
      const reply = (status: number, text: string | Buffer, extra: Record<string, string> = {}) => {
        stream.respond({ ':status': status, 'content-type': 'application/json', ...extra });
        stream.end(text);
      };
      const denied = this.#bedrockError(record);
      if (denied) return reply(denied.status, denied.body, { 'x-amzn-errortype': denied.type, 'x-amzn-requestid': 'loopback-request-1' });
      const greeting = `hello from ${record.accessKeyId ?? 'nobody'}`;
      switch (route?.[2]) {
        case 'Converse':
          return reply(200, JSON.stringify({
            output: { message: { role: 'assistant', content: [{ text: greeting }] } },
            stopReason: 'end_turn',
            usage: { inputTokens: 1, outputTokens: 4, totalTokens: 5 },
            metrics: { latencyMs: 1 },
          }));
        case 'InvokeAgent':
          return reply(200, eventStreamMessage('chunk', { bytes: Buffer.from(greeting).toString('base64') }), {
            'content-type': 'application/vnd.amazon.eventstream',
            'x-amzn-bedrock-agent-content-type': 'application/json',
            'x-amz-bedrock-agent-session-id': rawPath.split('/')[6] ?? '',
          });
        case 'Retrieve':
          return reply(200, JSON.stringify({ retrievalResults: [{ content: { text: greeting }, score: 1 }] }));
        default:
          return reply(404, '{"message":"not found"}', { 'x-amzn-errortype': 'ResourceNotFoundException' });
      }
    });
  }

  #record(service: RecordedRequest['service'], operation: string, protocol: RecordedRequest['protocol'],
    headers: Record<string, string | undefined>, params: Record<string, string>, path?: string): RecordedRequest {
    const authorization = headers.authorization ?? '';
    const auth = authorization.startsWith('AWS4-HMAC-SHA256') ? 'sigv4' : authorization.startsWith('Bearer ') ? 'bearer' : 'none';
    const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(authorization);
    const record: RecordedRequest = {
      service,
      operation,
      path,
      protocol,
      auth,
      accessKeyId: scope?.[1],
      signingRegion: scope?.[2],
      securityToken: headers['x-amz-security-token'],
      params,
    };
    this.requests.push(record);
    return record;
  }

  #bedrockError(record: RecordedRequest): { status: number; type: string; body: string } | undefined {
    const key = record.accessKeyId ?? '';
    if (this.expiredKeys.has(key) || (this.expireAllIssued && this.issued.some((c) => c.accessKeyId === key))) {
      return { status: 403, type: 'ExpiredTokenException', body: JSON.stringify({ message: 'The security token included in the request is expired' }) };
    }
    if (this.bedrockAccessDenied !== undefined) {
      return { status: 403, type: 'AccessDeniedException', body: JSON.stringify({ message: this.bedrockAccessDenied }) };
    }
    if (this.bedrockNotFound) {
      return { status: 404, type: 'ResourceNotFoundException', body: JSON.stringify({ message: 'Failed to retrieve resource because it doesn\'t exist.' }) };
    }
    return undefined;
  }

  #onSts(params: Record<string, string>, headers: Record<string, string | undefined>,
    reply: (status: number, type: string, text: string) => void, drop: () => void): void {
    const operation = params.Action ?? 'unknown';
    this.#record('sts', operation, 'http/1.1', headers, params);
    const xml = (status: number, text: string) => reply(status, 'text/xml', text);
    const ns = 'https://sts.amazonaws.com/doc/2011-06-15/';
    const stsError = (status: number, code: string, message: string) => xml(status,
      `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
      '<RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>');

    if (operation === 'GetCallerIdentity') {
      const key = /Credential=([^/,\s]+)\//.exec(headers.authorization ?? '')?.[1];
      const issued = this.issued.findIndex((c) => c.accessKeyId === key);
      const arn = issued >= 0 ? this.#assumedArns[issued] : 'arn:aws:iam::222233334444:user/local';
      const account = arn.split(':')[4];
      return xml(200, `<GetCallerIdentityResponse xmlns="${ns}"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDLOOPBACK</UserId>` +
        `<Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    if (operation !== 'AssumeRole') return stsError(400, 'InvalidAction', `Could not find operation ${operation}`);

    const roleArn = params.RoleArn ?? '';
    const failure = this.assumeRoleFailure ?? this.assumeRoleFailures.get(roleArn);
    const because = {
      'identity-policy': ' because no identity-based policy allows the %s action',
      'trust-policy': ' because no resource-based policy allows the %s action',
      'unspecified': '',
    };
    if (failure) {
      switch (failure.kind) {
        case 'reset': return drop();
        case 'hang': return;
        case 'throttling': return stsError(400, 'Throttling', 'Rate exceeded');
        case 'duration-role-chaining':
          return stsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
        case 'access-denied':
        case 'attribution-denied': {
          const action = failure.kind === 'access-denied' ? 'sts:AssumeRole' : failure.action;
          const reason = because[failure.variant].replace('%s', action);
          return stsError(403, 'AccessDenied', `User: ${WORKLOAD_CALLER_ARN} is not authorized to perform: ${action} on resource: ${roleArn}${reason}`);
        }
        case 'packed-policy-too-large':
          return stsError(400, 'PackedPolicyTooLarge', 'Packed policy consumes 112% of allotted space, please use smaller policy for session.');
        case 'invalid-tags':
          return stsError(400, 'InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
      }
    }

    if (this.assumeRoleDelayMs > 0) {
      setTimeout(() => this.#issue(params, roleArn, xml), this.assumeRoleDelayMs);
      return;
    }
    this.#issue(params, roleArn, xml);
  }

  #issue(params: Record<string, string>, roleArn: string, xml: (status: number, text: string) => void): void {
    const ns = 'https://sts.amazonaws.com/doc/2011-06-15/';
    const n = this.issued.length + 1;
    const lifetime = this.credentialLifetimeSeconds ?? Number(params.DurationSeconds ?? 3600);
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIAHUB${String(n).padStart(13, '0')}`,
      secretAccessKey: `hub-secret-${n}-${'s'.repeat(20)}`,
      sessionToken: `hub-session-token-${n}-${'t'.repeat(40)}`,
      expiration: new Date(this.#clock() + lifetime * 1000),
      roleArn,
    };
    this.issued.push(credentials);
    const [, , , , roleAccount, resource] = roleArn.split(':');
    const roleName = (resource ?? '').split('/').pop();
    const assumedArn = `arn:aws:sts::${this.assumedAccount ?? roleAccount}:assumed-role/${roleName}/${params.RoleSessionName}`;
    this.#assumedArns.push(assumedArn);
    xml(200, `<AssumeRoleResponse xmlns="${ns}"><AssumeRoleResult>` +
      `<AssumedRoleUser><AssumedRoleId>AROALOOPBACK:${params.RoleSessionName}</AssumedRoleId><Arn>${assumedArn}</Arn></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${credentials.sessionToken}</SessionToken><Expiration>${credentials.expiration.toISOString()}</Expiration></Credentials>` +
      '</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>');
  }
}

/** Requests the HTTP/2 side answers: path, service, operation. */
const H2_ROUTES: ReadonlyArray<[RegExp, RecordedRequest['service'], string]> = [
  [/^\/model\/[^/]+\/converse$/, 'bedrock-runtime', 'Converse'],
  [/^\/agents\/[^/]+\/agentAliases\/[^/]+\/sessions\/[^/]+\/text$/, 'bedrock-agent-runtime', 'InvokeAgent'],
  [/^\/knowledgebases\/[^/]+\/retrieve$/, 'bedrock-agent-runtime', 'Retrieve'],
];

/** One event-stream message (`application/vnd.amazon.eventstream`) with a JSON payload. */
function eventStreamMessage(eventType: string, payload: unknown): Buffer {
  const header = (name: string, value: string) => {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(v.length);
    return Buffer.concat([Buffer.from([n.length]), n, Buffer.from([7]), length, v]);
  };
  const headers = Buffer.concat([header(':event-type', eventType), header(':content-type', 'application/json'), header(':message-type', 'event')]);
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(16 + headers.length + body.length, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude));
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(message));
  return Buffer.concat([message, messageCrc]);
}

/* eslint-disable no-bitwise -- CRC-32 (IEEE), as the event-stream framing requires */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
/* eslint-enable no-bitwise */

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An endpoint on which nothing listens: connections are refused. */
export async function refusedEndpoint(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A clock tests move by hand. */
export class ManualClock {
  public now: number;

  constructor(start = Date.UTC(2030, 0, 1, 12, 0, 0)) {
    this.now = start;
  }

  /** The {@link Clock} to hand out. */
  public readonly read = (): number => this.now;

  /** Moves time forward. */
  public advance(ms: number): void {
    this.now += ms;
  }

  /** Moves time to `ms` before `expiration`. */
  public setLeft(expiration: Date, ms: number): void {
    this.now = expiration.getTime() - ms;
  }
}

/** Fake local ("master") credentials, as a Lambda's execution role would have. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIALOCAL0000000000',
  secretAccessKey: 'local-secret-do-not-leak-0123456789',
} as const;

/** The hub role the tests assume. */
export const HUB_ROLE_ARN = 'arn:aws:iam::111122223333:role/BedrockHubRole';
/** A distinctive ExternalId, so a test can prove it never shows up in output. */
export const EXTERNAL_ID = 'ext-id-SHOULD-NEVER-APPEAR-7f3a9c';

/** The environment of a hub-enabled function whose STS is `server`. */
export function hubEnv(server: LoopbackAws, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
    BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'workload-function',
    AWS_ENDPOINT_URL_STS: server.endpoint,
    ...extra,
  };
}
