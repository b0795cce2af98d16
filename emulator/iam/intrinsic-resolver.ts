/**
 * The resolver: what CloudFormation evaluates at deploy time, for one stack. Parameters (given values
 * or defaults), conditions, `Ref`, `Fn::GetAtt`, `Fn::If`, `Fn::Join`, `Fn::Sub`, `Fn::Select`,
 * `Fn::Split`, `Fn::FindInMap`, `Fn::ImportValue`, `Fn::Base64`, `Fn::GetAZs`, `Fn::Equals`/`And`/
 * `Or`/`Not`, pseudo parameters (`AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::NoValue`,
 * ...), and the physical names and attributes CloudFormation would generate.
 *
 * Physical names CloudFormation would generate (a role or function without a name) are
 * `<StackName>-<LogicalId>-<suffix>`, the suffix derived from a hash of account, region, stack and
 * logical ID: the same template always yields the same names.
 */
import { LOWER_ALNUM, MIXED_ALNUM, roleArn as buildRoleArn, stableId, UPPER_ALNUM } from './arn';
import type { CfnResource, TemplateSource } from './templates';

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
export class Resolver {
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

