/**
 * Reads AWS's access-denied messages.
 *
 * Most services word an authorization failure as
 * `User: <principal> is not authorized to perform: <action> on resource: <resource> <context>`, where
 * the context says which kind of policy denied and how: `because no <type> allows the <action> action`
 * (implicit deny) or `with an explicit deny in a <type>` (explicit deny), optionally followed by the
 * denying policy's ARN (same account and same organization only) and by an authorization id.
 * Source: IAM User Guide, "Troubleshoot access denied error messages"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html) and "Troubleshoot
 * access denied error messages with authorization ID"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied-authorization-id.html).
 *
 * The wording varies in ways this parser accepts: no context at all (STS's usual answer to a denied
 * AssumeRole), no `on resource:` part, a quoted resource (S3), `the role trust policy` instead of
 * `a … policy`, `sessions policy`, `… transitively through a service control policy`, a trailing
 * period, the sentence embedded in a longer text (`Model access is denied due to User: …`,
 * `An error occurred (AccessDenied) when calling …: User: …`), or a principal without the `User: `
 * prefix. Nothing here throws: text that is not an access-denied sentence gives `undefined`.
 */

/**
 * The policy type an access-denied message names, in AWS's words, as a stable key:
 * `identity-based` (identity-based policy), `resource-based` (resource-based policy),
 * `permissions-boundary`, `session` (session policy), `service-control` (service control policy, SCP),
 * `resource-control` (resource control policy, RCP), `vpc-endpoint` (VPC endpoint policy),
 * `role-trust` (role trust policy), or `unknown` for a type this parser does not know
 * (see {@link AccessDeniedMessage.policyTypeText}).
 */
export type DenyingPolicyType =
  | 'identity-based'
  | 'resource-based'
  | 'permissions-boundary'
  | 'session'
  | 'service-control'
  | 'resource-control'
  | 'vpc-endpoint'
  | 'role-trust'
  | 'unknown';

/** `explicit`: a Deny statement matched; `implicit`: no Allow matched; `unstated`: the message does not say. */
export type DenyKind = 'explicit' | 'implicit' | 'unstated';

/** The parts of an access-denied message. */
export interface AccessDeniedMessage {
  /** The denied principal as written (an ARN, or whatever the service put there); absent when the message names none. */
  readonly principalArn?: string;
  /** The 12-digit account of {@link principalArn}, when it is an ARN with one. */
  readonly principalAccount?: string;
  /** The denied action, e.g. `bedrock:InvokeModel`, as written (case kept: `SNS:Publish`). */
  readonly action: string;
  /** The resource after `on resource:`, without quotes or a trailing period; absent when the message names none. */
  readonly resourceArn?: string;
  /**
   * The region field of {@link resourceArn} when it is an ARN: `''` for a region-less ARN
   * (`arn:aws:bedrock:::foundation-model/…`, what a global inference profile is authorized against).
   */
  readonly resourceRegion?: string;
  /** The account field of {@link resourceArn} when it is an ARN: `''` for AWS-owned resources (foundation models). */
  readonly resourceAccount?: string;
  /** The policy type the message blames; absent when it names none. */
  readonly policyType?: DenyingPolicyType;
  /** The policy type as AWS wrote it (`service control policy`, `sessions policy`, …). */
  readonly policyTypeText?: string;
  /** Whether the denial was explicit, implicit, or not said. */
  readonly denyKind: DenyKind;
  /** The denying policy's ARN, when AWS appended it. */
  readonly policyArn?: string;
  /** The account in {@link policyArn} (for an SCP or RCP: the organization's management account). */
  readonly policyAccount?: string;
  /** The organization id (`o-…`) in an SCP or RCP ARN. */
  readonly organizationId?: string;
  /** `… transitively through a <type>`: the policy type the denial came through. */
  readonly transitivePolicyType?: DenyingPolicyType;
  /** The authorization id AWS may append (for IAM's GetRequestAuthorizationDetails). */
  readonly authorizationId?: string;
  /** Text before the access-denied sentence, trimmed (e.g. `Model access is denied due to`); absent when there is none. */
  readonly leadingText?: string;
}

const POLICY_TYPES: ReadonlyArray<[RegExp, DenyingPolicyType]> = [
  [/^identity-based policy$/i, 'identity-based'],
  [/^resource-based policy$/i, 'resource-based'],
  [/^permissions? boundary$/i, 'permissions-boundary'],
  [/^sessions? policy$/i, 'session'],
  [/^service control policy$/i, 'service-control'],
  [/^resource control policy$/i, 'resource-control'],
  [/^VPC endpoint policy$/i, 'vpc-endpoint'],
  [/^role trust policy$/i, 'role-trust'],
];

function policyTypeOf(text: string): DenyingPolicyType {
  return POLICY_TYPES.find(([pattern]) => pattern.test(text))?.[1] ?? 'unknown';
}

/** The sentence's head: who was not authorized to do what. */
const HEAD = /(?:(?:User: )?(\S+) is not|\bNot) authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9*]+)/;
/** ` on resource: <resource>`, the resource quoted or not. */
const RESOURCE = /^ on resource: (?:"([^"]*)"|(\S+))/;
const IMPLICIT = /^ because no (.+?) allows the \S+? action/;
const EXPLICIT = /^ with an explicit deny(?: in (?:an?|the) (.+?)(?=: arn:| transitively through | \(|\.(?:\s|$)|[\s"'}]*$))?/;
const POLICY_ARN = /^: (arn:[^\s"']+)/;
const TRANSITIVE = /^ transitively through (?:an?|the) (.+?)(?= \(|\.(?:\s|$)|[\s"'}]*$)/;
const AUTHORIZATION_ID = /authorization id: ([a-z0-9]+)/i;

/** `arn:partition:service:region:account:resource` → region and account, or `undefined` if not an ARN. */
function arnFields(arn: string): { region: string; account: string } | undefined {
  const match = /^arn:[\w-]+:[\w-]+:([\w-]*):([\w-]*):./.exec(arn);
  return match ? { region: match[1], account: match[2] } : undefined;
}

function stripTrailingPunctuation(text: string): string {
  return text.replace(/[.,;]+$/, '');
}

/**
 * Parses an access-denied message (a service error's `message`, or a longer text that contains one).
 *
 * @param message the text to read
 * @returns its parts, or `undefined` if it holds no `… not authorized to perform: <action>` sentence
 */
export function parseAccessDeniedMessage(message: string): AccessDeniedMessage | undefined {
  const text = message.replace(/\s+/g, ' ');
  const head = HEAD.exec(text);
  if (!head) return undefined;

  const principal = head[1];
  const principalAccount = principal ? arnFields(principal)?.account.match(/^\d{12}$/)?.[0] : undefined;
  const leadingText = text.slice(0, head.index).replace(/[\s:,-]+$/, '').trim();
  let rest = text.slice(head.index + head[0].length);

  let resourceArn: string | undefined;
  const resource = RESOURCE.exec(rest);
  if (resource) {
    resourceArn = resource[1] ?? stripTrailingPunctuation(resource[2].replace(/["'}\]]+$/, ''));
    rest = rest.slice(resource[0].length);
  }
  const resourceFields = resourceArn === undefined ? undefined : arnFields(resourceArn);

  let denyKind: DenyKind = 'unstated';
  let policyTypeText: string | undefined;
  let policyArn: string | undefined;
  let transitivePolicyType: DenyingPolicyType | undefined;
  const implicit = IMPLICIT.exec(rest);
  const explicit = implicit ? undefined : EXPLICIT.exec(rest);
  if (implicit) {
    denyKind = 'implicit';
    policyTypeText = implicit[1];
  } else if (explicit) {
    denyKind = 'explicit';
    policyTypeText = explicit[1];
    rest = rest.slice(explicit[0].length);
    const arn = POLICY_ARN.exec(rest);
    if (arn) {
      policyArn = stripTrailingPunctuation(arn[1]);
      rest = rest.slice(arn[0].length);
    }
    const transitive = TRANSITIVE.exec(rest);
    if (transitive) transitivePolicyType = policyTypeOf(transitive[1]);
  }
  const policyFields = policyArn === undefined ? undefined : arnFields(policyArn);
  const organizationId = policyArn === undefined ? undefined : /\/(o-[a-z0-9]{10,32})\//.exec(policyArn)?.[1];
  const authorizationId = AUTHORIZATION_ID.exec(text)?.[1];

  return {
    ...(principal !== undefined ? { principalArn: principal } : {}),
    ...(principalAccount ? { principalAccount } : {}),
    action: head[2],
    ...(resourceArn !== undefined ? { resourceArn } : {}),
    ...(resourceFields ? { resourceRegion: resourceFields.region, resourceAccount: resourceFields.account } : {}),
    ...(policyTypeText !== undefined ? { policyType: policyTypeOf(policyTypeText), policyTypeText } : {}),
    denyKind,
    ...(policyArn !== undefined ? { policyArn } : {}),
    ...(policyFields?.account ? { policyAccount: policyFields.account } : {}),
    ...(organizationId !== undefined ? { organizationId } : {}),
    ...(transitivePolicyType !== undefined ? { transitivePolicyType } : {}),
    ...(authorizationId !== undefined ? { authorizationId } : {}),
    ...(leadingText ? { leadingText } : {}),
  };
}
