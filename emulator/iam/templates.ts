/**
 * Synthesized CloudFormation templates → the principals, policies and resources they would create.
 *
 * The resolver evaluates what CloudFormation evaluates at deploy time: parameters (given values or
 * defaults), conditions, `Ref`, `Fn::GetAtt`, `Fn::If`, `Fn::Join`, `Fn::Sub`, `Fn::Select`,
 * `Fn::Split`, `Fn::FindInMap`, `Fn::ImportValue`, `Fn::Base64`, `Fn::GetAZs`, `Fn::Equals`/`And`/
 * `Or`/`Not`, pseudo parameters (`AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::NoValue`,
 * ...), and skips resources whose `Condition` is false. Only the resource types the emulator uses are
 * extracted: IAM roles and policies, Lambda functions (with environment and asset path), DynamoDB
 * tables, S3 buckets, and Bedrock guardrails, application inference profiles, agents, agent aliases
 * and knowledge bases.
 *
 * Physical names CloudFormation would generate (a role or function without a name) are
 * `<StackName>-<LogicalId>-<suffix>`, the suffix derived from a hash of account, region, stack and
 * logical ID: the same template always yields the same names.
 */
import { LOWER_ALNUM, MIXED_ALNUM, roleArn as buildRoleArn, stableId, UPPER_ALNUM } from './arn';
import { NamedPolicy, PolicyDocument } from './identities';

/** A CloudFormation resource in a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

/** A CloudFormation template (JSON form). */
export interface CfnTemplate {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Condition?: string; Export?: { Name: unknown } }>;
}

/** A template and where it is deployed. */
export interface TemplateSource {
  /** The template, as synthesized (e.g. `Template.fromStack(stack).toJSON()` or the `.template.json` file). */
  readonly template: CfnTemplate;
  /** The account it is deployed to. */
  readonly accountId: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  readonly stackName: string;
  /** Parameter values; parameters without one take their `Default`. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The directory the template's asset paths are relative to (the cloud assembly directory). */
  readonly assetDirectory?: string;
}

/** A role the template creates. */
export interface TemplateRole {
  readonly logicalId: string;
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocument;
  readonly policies: NamedPolicy[];
  readonly managedPolicyArns: string[];
  readonly maxSessionDurationSeconds: number;
  readonly permissionsBoundaryArn?: string;
  readonly tags: Record<string, string>;
}

/** An `AWS::IAM::Policy` / `AWS::IAM::RolePolicy` / `AWS::IAM::ManagedPolicy` and what it is attached to. */
export interface TemplatePolicy {
  readonly logicalId: string;
  readonly policy: NamedPolicy;
  /** Set for a managed policy. */
  readonly managedPolicyArn?: string;
  readonly roleNames: string[];
  readonly userNames: string[];
}

/** A Lambda function the template creates. */
export interface TemplateFunction {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  readonly roleArn: string;
  /** `Environment.Variables`, resolved. */
  readonly environment: Record<string, string>;
  /** E.g. `index.handler`. */
  readonly handler: string;
  readonly runtime?: string;
  /** @default 3 (CloudFormation's default) */
  readonly timeoutSeconds: number;
  /** @default 128 */
  readonly memorySizeMb: number;
  /** Absolute path of the code asset directory (bundled handler), when the template came with its assembly. */
  readonly assetPath?: string;
  /** `Code.ZipFile` inline source, if any. */
  readonly inlineCode?: string;
}

/** A DynamoDB table. */
export interface TemplateTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly arn: string;
  readonly keySchema: Array<{ attributeName: string; keyType: 'HASH' | 'RANGE' }>;
}

/** An S3 bucket. */
export interface TemplateBucket {
  readonly logicalId: string;
  readonly bucketName: string;
  readonly arn: string;
}

/** A Bedrock guardrail. */
export interface TemplateGuardrail {
  readonly logicalId: string;
  readonly guardrailId: string;
  readonly arn: string;
  readonly name: string;
  readonly blockedInputMessaging: string;
  readonly blockedOutputsMessaging: string;
  readonly blockedWords: string[];
}

/** A Bedrock application inference profile. */
export interface TemplateApplicationInferenceProfile {
  readonly logicalId: string;
  readonly inferenceProfileId: string;
  readonly arn: string;
  readonly name: string;
  /** `ModelSource.CopyFrom`: a foundation-model or system inference-profile ARN. */
  readonly copyFrom: string;
}

/** A Bedrock agent. */
export interface TemplateAgent {
  readonly logicalId: string;
  readonly agentId: string;
  readonly arn: string;
  readonly name: string;
  readonly foundationModel?: string;
}

/** A Bedrock agent alias. */
export interface TemplateAgentAlias {
  readonly logicalId: string;
  readonly agentId: string;
  readonly agentAliasId: string;
  readonly arn: string;
  readonly name: string;
}

/** A Bedrock knowledge base. */
export interface TemplateKnowledgeBase {
  readonly logicalId: string;
  readonly knowledgeBaseId: string;
  readonly arn: string;
  readonly name: string;
}

/** Everything the emulator takes from one template. */
export interface ResolvedStack {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly conditions: Record<string, boolean>;
  readonly roles: TemplateRole[];
  readonly policies: TemplatePolicy[];
  readonly functions: TemplateFunction[];
  readonly tables: TemplateTable[];
  readonly buckets: TemplateBucket[];
  readonly guardrails: TemplateGuardrail[];
  readonly applicationInferenceProfiles: TemplateApplicationInferenceProfile[];
  readonly agents: TemplateAgent[];
  readonly agentAliases: TemplateAgentAlias[];
  readonly knowledgeBases: TemplateKnowledgeBase[];
  /** Output values by output name. */
  readonly outputs: Record<string, unknown>;
  /** Export values by export name. */
  readonly exports: Record<string, unknown>;
  /** Logical IDs left out because their `Condition` is false. */
  readonly skipped: string[];
  /** Things that could not be resolved but did not prevent loading (e.g. an output). */
  readonly warnings: string[];
}

/** A template that cannot be resolved. */
export class TemplateError extends Error {
  constructor(stackName: string, message: string) {
    super(`template ${stackName}: ${message}`);
    this.name = 'TemplateError';
  }
}

/** Resolved `AWS::NoValue`: the property or list element is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

const PARTITIONS: Record<string, string> = { 'cn': 'aws-cn', 'us-gov': 'aws-us-gov', 'us-iso': 'aws-iso', 'us-isob': 'aws-iso-b', 'eu-isoe': 'aws-iso-e', 'us-isof': 'aws-iso-f', 'eusc': 'aws-eusc' };

/** The partition of a region (`cn-north-1` → `aws-cn`). */
export function partitionOf(region: string): string {
  const prefix = Object.keys(PARTITIONS).find((p) => region.startsWith(`${p}-`));
  return prefix ? PARTITIONS[prefix] : 'aws';
}

/** Evaluates intrinsics against one stack's parameters, conditions and resources. */
class Resolver {
  private readonly conditionCache = new Map<string, boolean>();
  private readonly conditionsInProgress = new Set<string>();
  private readonly physicalIds = new Map<string, string>();
  private readonly resources: Record<string, CfnResource>;
  private readonly parameterValues: Record<string, unknown> = {};
  public readonly partition: string;

  constructor(
    private readonly source: TemplateSource & { region: string },
    private readonly importValue: (name: string) => unknown,
  ) {
    this.resources = source.template.Resources ?? {};
    this.partition = partitionOf(source.region);
    for (const [name, definition] of Object.entries(source.template.Parameters ?? {})) {
      const given = source.parameters?.[name];
      const value = given ?? definition.Default;
      if (value === undefined) {
        throw new TemplateError(source.stackName, `parameter ${name} has no Default and no value was given`);
      }
      const type = definition.Type ?? 'String';
      this.parameterValues[name] = type === 'CommaDelimitedList' || type.startsWith('List<')
        ? (Array.isArray(value) ? value : String(value).split(',').map((s) => s.trim()).filter((s) => s !== ''))
        : String(value);
    }
    for (const name of Object.keys(source.parameters ?? {})) {
      if (!(name in (source.template.Parameters ?? {}))) {
        throw new TemplateError(source.stackName, `parameter ${name} was given a value but the template declares no such parameter`);
      }
    }
  }

  private fail(message: string): never {
    throw new TemplateError(this.source.stackName, message);
  }

  /** Whether the named condition holds. */
  public condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const definition = this.source.template.Conditions?.[name];
    if (definition === undefined) {
      this.fail(`condition ${name} is not defined`);
    }
    if (this.conditionsInProgress.has(name)) {
      this.fail(`condition ${name} refers to itself`);
    }
    this.conditionsInProgress.add(name);
    const value = this.resolve(definition);
    this.conditionsInProgress.delete(name);
    if (typeof value !== 'boolean') {
      this.fail(`condition ${name} does not evaluate to true or false`);
    }
    this.conditionCache.set(name, value);
    return value;
  }

  /** Whether a resource exists (no `Condition`, or a true one). */
  public exists(logicalId: string): boolean {
    const resource = this.resources[logicalId];
    return resource !== undefined && (resource.Condition === undefined || this.condition(resource.Condition));
  }

  /** Resolves every intrinsic in `value`. `AWS::NoValue` removes properties and list elements. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [k, arg] = entries[0];
      if (k === 'Ref') {
        return this.ref(String(arg));
      }
      if (k === 'Condition' && typeof arg === 'string') {
        return this.condition(arg);
      }
      if (k.startsWith('Fn::')) {
        return this.intrinsic(k, arg);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE && resolved !== undefined) {
        out[k] = resolved;
      }
    }
    return out;
  }

  /** Resolves to a string (or fails). */
  public resolveString(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number' && typeof resolved !== 'boolean') {
      this.fail(`${what} does not resolve to a string: ${JSON.stringify(resolved)}`);
    }
    return String(resolved);
  }

  private intrinsic(name: string, arg: unknown): unknown {
    const list = (n: number): unknown[] => {
      if (!Array.isArray(arg) || arg.length < n) {
        this.fail(`${name} expects a list of ${n} arguments, got ${JSON.stringify(arg)}`);
      }
      return arg;
    };
    switch (name) {
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = list(3);
        return this.resolve(this.condition(String(condition)) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = list(2).map((v) => this.resolve(v));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::And':
        return list(2).every((c) => this.resolve(c) === true);
      case 'Fn::Or':
        return list(2).some((c) => this.resolve(c) === true);
      case 'Fn::Not':
        return this.resolve(list(1)[0]) !== true;
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : list(2).map((v) => String(this.resolve(v)));
        return this.getAtt(logicalId, attribute);
      }
      case 'Fn::Join': {
        const [delimiter, items] = list(2);
        const resolved = this.resolve(items);
        if (!Array.isArray(resolved)) {
          this.fail(`Fn::Join needs a list, got ${JSON.stringify(resolved)}`);
        }
        return resolved.map((v) => this.scalar(v, 'Fn::Join element')).join(String(delimiter));
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Select': {
        const [index, items] = list(2);
        const resolved = this.resolve(items);
        const i = Number(this.resolve(index));
        if (!Array.isArray(resolved) || !(i >= 0 && i < resolved.length)) {
          this.fail(`Fn::Select index ${i} is out of range`);
        }
        return resolved[i];
      }
      case 'Fn::Split': {
        const [delimiter, text] = list(2);
        return this.resolveString(text, 'Fn::Split source').split(String(delimiter));
      }
      case 'Fn::FindInMap': {
        const [map, top, second, options] = list(3);
        const values = [map, top, second].map((v) => this.resolveString(v, 'Fn::FindInMap key'));
        const found = this.source.template.Mappings?.[values[0]]?.[values[1]]?.[values[2]];
        if (found === undefined) {
          const fallback = (options as { DefaultValue?: unknown } | undefined)?.DefaultValue;
          if (fallback !== undefined) {
            return this.resolve(fallback);
          }
          this.fail(`Fn::FindInMap: no value for ${values.join('.')}`);
        }
        return found;
      }
      case 'Fn::ImportValue': {
        const exportName = this.resolveString(arg, 'Fn::ImportValue name');
        const imported = this.importValue(exportName);
        if (imported === undefined) {
          this.fail(`Fn::ImportValue: no stack exports '${exportName}' in ${this.source.accountId}/${this.source.region}; load the exporting stack first`);
        }
        return imported;
      }
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(arg, 'Fn::Base64 input'), 'utf8').toString('base64');
      case 'Fn::GetAZs': {
        const region = this.resolve(arg) || this.source.region;
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::Length': {
        const resolved = this.resolve(arg);
        return Array.isArray(resolved) ? resolved.length : this.fail('Fn::Length needs a list');
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg));
      default:
        return this.fail(`${name} is not supported by the emulator`);
    }
  }

  private scalar(value: unknown, what: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    return this.fail(`${what} is not a string: ${JSON.stringify(value)}`);
  }

  private sub(arg: unknown): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : (Array.isArray(arg) ? arg : this.fail('Fn::Sub needs a string or [string, variables]')) as [string, Record<string, unknown>];
    return String(text).replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
      if (expression.startsWith('!')) {
        return `\${${expression.slice(1)}}`;
      }
      if (variables && expression in variables) {
        return this.scalar(this.resolve(variables[expression]), `Fn::Sub variable ${expression}`);
      }
      if (expression.includes('.') && !expression.startsWith('AWS::')) {
        const [logicalId, attribute] = splitOnce(expression, '.');
        return this.scalar(this.getAtt(logicalId, attribute), `Fn::Sub \${${expression}}`);
      }
      return this.scalar(this.ref(expression), `Fn::Sub ${whole}`);
    });
  }

  /** `Ref`: a pseudo parameter, a parameter, or a resource's physical ID. */
  public ref(name: string): unknown {
    const { accountId, region, stackName } = this.source;
    switch (name) {
      case 'AWS::AccountId': return accountId;
      case 'AWS::Region': return region;
      case 'AWS::Partition': return this.partition;
      case 'AWS::URLSuffix': return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return `arn:${this.partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${stableId(`${accountId}/${region}/${stackName}`, 32, '0123456789abcdef').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    if (name in this.parameterValues) {
      return this.parameterValues[name];
    }
    const resource = this.resources[name];
    if (!resource) {
      return this.fail(`Ref to unknown parameter or resource ${name}`);
    }
    if (!this.exists(name)) {
      return this.fail(`Ref to resource ${name}, whose condition ${resource.Condition} is false`);
    }
    switch (resource.Type) {
      case 'AWS::IAM::ManagedPolicy': return this.managedPolicyArn(name);
      case 'AWS::Bedrock::Guardrail': return this.getAtt(name, 'GuardrailArn');
      case 'AWS::Bedrock::ApplicationInferenceProfile': return this.getAtt(name, 'InferenceProfileArn');
      case 'AWS::Bedrock::Agent': return this.bedrockId(name);
      case 'AWS::Bedrock::AgentAlias': return `${this.getAtt(name, 'AgentId')}|${this.getAtt(name, 'AgentAliasId')}`;
      case 'AWS::Bedrock::KnowledgeBase': return this.bedrockId(name);
      default: return this.physicalId(name);
    }
  }

  /** The resource's name (given or generated). */
  public physicalId(logicalId: string): string {
    const cached = this.physicalIds.get(logicalId);
    if (cached) {
      return cached;
    }
    const resource = this.resources[logicalId];
    const props = resource?.Properties ?? {};
    const given = (key: string): string | undefined => (props[key] === undefined ? undefined : this.resolveString(props[key], `${logicalId}.${key}`));
    let id: string;
    switch (resource?.Type) {
      case 'AWS::IAM::Role': id = given('RoleName') ?? this.generatedName(logicalId, 64, UPPER_ALNUM, 13); break;
      case 'AWS::IAM::ManagedPolicy': id = given('ManagedPolicyName') ?? this.generatedName(logicalId, 128, UPPER_ALNUM, 13); break;
      case 'AWS::IAM::User': id = given('UserName') ?? this.generatedName(logicalId, 64, UPPER_ALNUM, 13); break;
      case 'AWS::Lambda::Function': id = given('FunctionName') ?? this.generatedName(logicalId, 64, MIXED_ALNUM, 12); break;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': id = given('TableName') ?? this.generatedName(logicalId, 255, UPPER_ALNUM, 13); break;
      case 'AWS::S3::Bucket': id = given('BucketName') ?? this.generatedName(logicalId, 63, LOWER_ALNUM, 12).toLowerCase(); break;
      case 'AWS::SSM::Parameter': id = given('Name') ?? `CFN-${logicalId}-${stableId(this.seed(logicalId), 12, MIXED_ALNUM)}`; break;
      default: id = this.generatedName(logicalId, 128, UPPER_ALNUM, 13);
    }
    this.physicalIds.set(logicalId, id);
    return id;
  }

  private seed(logicalId: string): string {
    return `${this.source.accountId}/${this.source.region}/${this.source.stackName}/${logicalId}`;
  }

  private generatedName(logicalId: string, maxLength: number, alphabet: string, suffixLength: number): string {
    const suffix = stableId(this.seed(logicalId), suffixLength, alphabet);
    const prefix = `${this.source.stackName}-${logicalId}`.slice(0, maxLength - suffixLength - 1);
    return `${prefix}-${suffix}`;
  }

  private bedrockId(logicalId: string): string {
    const type = this.resources[logicalId]?.Type;
    return type === 'AWS::Bedrock::Guardrail' || type === 'AWS::Bedrock::ApplicationInferenceProfile'
      ? stableId(this.seed(logicalId), 12, LOWER_ALNUM)
      : stableId(this.seed(logicalId), 10, UPPER_ALNUM);
  }

  private managedPolicyArn(logicalId: string): string {
    const path = this.resources[logicalId].Properties?.Path;
    return `arn:${this.partition}:iam::${this.source.accountId}:policy${path ? this.resolveString(path, `${logicalId}.Path`) : '/'}${this.physicalId(logicalId)}`;
  }

  /** `Fn::GetAtt` for the resource types the emulator knows; a deterministic placeholder for others. */
  public getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.resources[logicalId];
    if (!resource) {
      return this.fail(`Fn::GetAtt on unknown resource ${logicalId}`);
    }
    if (!this.exists(logicalId)) {
      return this.fail(`Fn::GetAtt on resource ${logicalId}, whose condition ${resource.Condition} is false`);
    }
    const { accountId, region } = this.source;
    const p = this.partition;
    const name = (): string => this.physicalId(logicalId);
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::IAM::Role.Arn': {
        const path = resource.Properties?.Path;
        return buildRoleArn(accountId, name(), path ? this.resolveString(path, `${logicalId}.Path`) : '/', p);
      }
      case 'AWS::IAM::Role.RoleId': return `AROA${stableId(String(this.getAtt(logicalId, 'Arn')), 17, UPPER_ALNUM)}`;
      case 'AWS::IAM::ManagedPolicy.PolicyArn': return this.managedPolicyArn(logicalId);
      case 'AWS::IAM::User.Arn': return `arn:${p}:iam::${accountId}:user/${name()}`;
      case 'AWS::Lambda::Function.Arn': return `arn:${p}:lambda:${region}:${accountId}:function:${name()}`;
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn': return `arn:${p}:dynamodb:${region}:${accountId}:table/${name()}`;
      case 'AWS::DynamoDB::Table.StreamArn': return `arn:${p}:dynamodb:${region}:${accountId}:table/${name()}/stream/2024-01-01T00:00:00.000`;
      case 'AWS::S3::Bucket.Arn': return `arn:${p}:s3:::${name()}`;
      case 'AWS::S3::Bucket.DomainName': return `${name()}.s3.amazonaws.com`;
      case 'AWS::S3::Bucket.RegionalDomainName': return `${name()}.s3.${region}.amazonaws.com`;
      case 'AWS::Bedrock::Guardrail.GuardrailId': return this.bedrockId(logicalId);
      case 'AWS::Bedrock::Guardrail.GuardrailArn': return `arn:${p}:bedrock:${region}:${accountId}:guardrail/${this.bedrockId(logicalId)}`;
      case 'AWS::Bedrock::Guardrail.Version': return 'DRAFT';
      case 'AWS::Bedrock::ApplicationInferenceProfile.InferenceProfileId':
      case 'AWS::Bedrock::ApplicationInferenceProfile.InferenceProfileIdentifier': return this.bedrockId(logicalId);
      case 'AWS::Bedrock::ApplicationInferenceProfile.InferenceProfileArn':
        return `arn:${p}:bedrock:${region}:${accountId}:application-inference-profile/${this.bedrockId(logicalId)}`;
      case 'AWS::Bedrock::Agent.AgentId': return this.bedrockId(logicalId);
      case 'AWS::Bedrock::Agent.AgentArn': return `arn:${p}:bedrock:${region}:${accountId}:agent/${this.bedrockId(logicalId)}`;
      case 'AWS::Bedrock::AgentAlias.AgentAliasId': return this.bedrockId(logicalId);
      case 'AWS::Bedrock::AgentAlias.AgentId': return this.resolveString(resource.Properties?.AgentId, `${logicalId}.AgentId`);
      case 'AWS::Bedrock::AgentAlias.AgentAliasArn':
        return `arn:${p}:bedrock:${region}:${accountId}:agent-alias/${this.getAtt(logicalId, 'AgentId')}/${this.bedrockId(logicalId)}`;
      case 'AWS::Bedrock::KnowledgeBase.KnowledgeBaseId': return this.bedrockId(logicalId);
      case 'AWS::Bedrock::KnowledgeBase.KnowledgeBaseArn': return `arn:${p}:bedrock:${region}:${accountId}:knowledge-base/${this.bedrockId(logicalId)}`;
      default:
        if (attribute === 'Arn') {
          const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
          return `arn:${p}:${service}:${region}:${accountId}:${resource.Type.split('::')[2]?.toLowerCase() ?? 'resource'}/${name()}`;
        }
        return `${name()}.${attribute}`;
    }
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function tagsOf(value: unknown): Record<string, string> {
  return Object.fromEntries(asArray(value).map((t) => [String(asRecord(t).Key), String(asRecord(t).Value)]));
}

/**
 * Resolves a template for one account and region.
 * @param importValue looks up `Fn::ImportValue` exports of stacks loaded before
 */
export function resolveTemplate(source: TemplateSource, importValue: (name: string) => unknown = () => undefined): ResolvedStack {
  const region = source.region ?? 'us-east-1';
  if (!/^\d{12}$/.test(source.accountId)) {
    throw new TemplateError(source.stackName, `accountId must be 12 digits, got '${source.accountId}'`);
  }
  const r = new Resolver({ ...source, region }, importValue);
  const resources = source.template.Resources ?? {};
  const stack: ResolvedStack = {
    stackName: source.stackName,
    accountId: source.accountId,
    region,
    partition: r.partition,
    conditions: Object.fromEntries(Object.keys(source.template.Conditions ?? {}).map((c) => [c, r.condition(c)])),
    roles: [],
    policies: [],
    functions: [],
    tables: [],
    buckets: [],
    guardrails: [],
    applicationInferenceProfiles: [],
    agents: [],
    agentAliases: [],
    knowledgeBases: [],
    outputs: {},
    exports: {},
    skipped: [],
    warnings: [],
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!r.exists(logicalId)) {
      stack.skipped.push(logicalId);
      continue;
    }
    const props = (): Record<string, unknown> => asRecord(r.resolve(resource.Properties ?? {}));
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        const p = props();
        stack.roles.push({
          logicalId,
          roleName: r.physicalId(logicalId),
          path: typeof p.Path === 'string' ? p.Path : '/',
          arn: String(r.getAtt(logicalId, 'Arn')),
          trustPolicy: asRecord(p.AssumeRolePolicyDocument) as unknown as PolicyDocument,
          policies: asArray(p.Policies).map((policy) => ({
            name: String(asRecord(policy).PolicyName),
            document: asRecord(asRecord(policy).PolicyDocument) as unknown as PolicyDocument,
          })),
          managedPolicyArns: asArray(p.ManagedPolicyArns).map(String),
          maxSessionDurationSeconds: p.MaxSessionDuration === undefined ? 3600 : Number(p.MaxSessionDuration),
          permissionsBoundaryArn: p.PermissionsBoundary === undefined ? undefined : String(p.PermissionsBoundary),
          tags: tagsOf(p.Tags),
        });
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::RolePolicy':
      case 'AWS::IAM::ManagedPolicy': {
        const p = props();
        const managed = resource.Type === 'AWS::IAM::ManagedPolicy';
        const managedPolicyArn = managed ? String(r.ref(logicalId)) : undefined;
        stack.policies.push({
          logicalId,
          policy: { name: managedPolicyArn ?? String(p.PolicyName ?? logicalId), document: asRecord(p.PolicyDocument) as unknown as PolicyDocument },
          managedPolicyArn,
          roleNames: resource.Type === 'AWS::IAM::RolePolicy' ? [String(p.RoleName)] : asArray(p.Roles).map(String),
          userNames: asArray(p.Users).map(String),
        });
        break;
      }
      case 'AWS::Lambda::Function': {
        const p = props();
        const environment = Object.fromEntries(Object.entries(asRecord(asRecord(p.Environment).Variables)).map(([k, v]) => [k, String(v)]));
        const metadata = resource.Metadata ?? {};
        const assetPath = metadata['aws:asset:property'] === 'Code' && typeof metadata['aws:asset:path'] === 'string' && source.assetDirectory
          ? `${source.assetDirectory.replace(/\/$/, '')}/${metadata['aws:asset:path']}`
          : undefined;
        const zipFile = asRecord(p.Code).ZipFile;
        stack.functions.push({
          logicalId,
          functionName: r.physicalId(logicalId),
          arn: String(r.getAtt(logicalId, 'Arn')),
          roleArn: String(p.Role),
          environment,
          handler: String(p.Handler ?? 'index.handler'),
          runtime: p.Runtime === undefined ? undefined : String(p.Runtime),
          timeoutSeconds: p.Timeout === undefined ? 3 : Number(p.Timeout),
          memorySizeMb: p.MemorySize === undefined ? 128 : Number(p.MemorySize),
          assetPath,
          inlineCode: typeof zipFile === 'string' ? zipFile : undefined,
        });
        break;
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const p = props();
        stack.tables.push({
          logicalId,
          tableName: r.physicalId(logicalId),
          arn: String(r.getAtt(logicalId, 'Arn')),
          keySchema: asArray(p.KeySchema).map((k) => ({
            attributeName: String(asRecord(k).AttributeName),
            keyType: asRecord(k).KeyType === 'RANGE' ? 'RANGE' : 'HASH',
          })),
        });
        break;
      }
      case 'AWS::S3::Bucket':
        stack.buckets.push({ logicalId, bucketName: r.physicalId(logicalId), arn: String(r.getAtt(logicalId, 'Arn')) });
        break;
      case 'AWS::Bedrock::Guardrail': {
        const p = props();
        stack.guardrails.push({
          logicalId,
          guardrailId: String(r.getAtt(logicalId, 'GuardrailId')),
          arn: String(r.getAtt(logicalId, 'GuardrailArn')),
          name: String(p.Name ?? logicalId),
          blockedInputMessaging: String(p.BlockedInputMessaging ?? 'Sorry, the model cannot answer this question.'),
          blockedOutputsMessaging: String(p.BlockedOutputsMessaging ?? 'Sorry, the model cannot answer this question.'),
          blockedWords: asArray(asRecord(p.WordPolicyConfig).WordsConfig).map((w) => String(asRecord(w).Text)),
        });
        break;
      }
      case 'AWS::Bedrock::ApplicationInferenceProfile': {
        const p = props();
        stack.applicationInferenceProfiles.push({
          logicalId,
          inferenceProfileId: String(r.getAtt(logicalId, 'InferenceProfileId')),
          arn: String(r.getAtt(logicalId, 'InferenceProfileArn')),
          name: String(p.InferenceProfileName ?? logicalId),
          copyFrom: String(asRecord(p.ModelSource).CopyFrom),
        });
        break;
      }
      case 'AWS::Bedrock::Agent': {
        const p = props();
        stack.agents.push({
          logicalId,
          agentId: String(r.getAtt(logicalId, 'AgentId')),
          arn: String(r.getAtt(logicalId, 'AgentArn')),
          name: String(p.AgentName ?? logicalId),
          foundationModel: p.FoundationModel === undefined ? undefined : String(p.FoundationModel),
        });
        break;
      }
      case 'AWS::Bedrock::AgentAlias': {
        const p = props();
        stack.agentAliases.push({
          logicalId,
          agentId: String(p.AgentId),
          agentAliasId: String(r.getAtt(logicalId, 'AgentAliasId')),
          arn: String(r.getAtt(logicalId, 'AgentAliasArn')),
          name: String(p.AgentAliasName ?? logicalId),
        });
        break;
      }
      case 'AWS::Bedrock::KnowledgeBase': {
        const p = props();
        stack.knowledgeBases.push({
          logicalId,
          knowledgeBaseId: String(r.getAtt(logicalId, 'KnowledgeBaseId')),
          arn: String(r.getAtt(logicalId, 'KnowledgeBaseArn')),
          name: String(p.Name ?? logicalId),
        });
        break;
      }
      default:
        break;
    }
  }

  for (const [name, output] of Object.entries(source.template.Outputs ?? {})) {
    try {
      if (output.Condition !== undefined && !r.condition(output.Condition)) {
        continue;
      }
      const value = r.resolve(output.Value);
      stack.outputs[name] = value;
      if (output.Export) {
        stack.exports[r.resolveString(output.Export.Name, `output ${name} export name`)] = value;
      }
    } catch (error) {
      stack.warnings.push(`output ${name}: ${(error as Error).message}`);
    }
  }
  return stack;
}

/** A resource as CloudFormation creates it: its type and its properties with every intrinsic function resolved. */
export interface DeployedResource {
  readonly Type: string;
  /** JSON values, typed loosely so that a test can reach into them. */
  readonly Properties: Record<string, any>;
  readonly DependsOn?: string | string[];
}

/**
 * The resources CloudFormation would create from `source`, by logical ID: a resource whose `Condition`
 * is false is left out, and in the others every intrinsic function is resolved by the same rules as
 * {@link resolveTemplate} (`Fn::If` decided, `AWS::NoValue` removed, parameters, pseudo parameters,
 * attributes and generated physical names filled in).
 * @throws TemplateError if a parameter has no value, or a condition or property cannot be resolved
 */
export function deployedResources(
  source: TemplateSource, importValue: (name: string) => unknown = () => undefined,
): Record<string, DeployedResource> {
  const r = new Resolver({ ...source, region: source.region ?? 'us-east-1' }, importValue);
  const deployed: Record<string, DeployedResource> = {};
  for (const [logicalId, resource] of Object.entries(source.template.Resources ?? {})) {
    if (r.exists(logicalId)) {
      deployed[logicalId] = {
        Type: resource.Type,
        Properties: asRecord(r.resolve(resource.Properties ?? {})),
        ...(resource.DependsOn !== undefined ? { DependsOn: resource.DependsOn } : {}),
      };
    }
  }
  return deployed;
}
