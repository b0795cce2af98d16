/**
 * Synthesized CloudFormation templates → the principals, policies and resources they would create.
 *
 * The intrinsics are evaluated by the resolver (intrinsic-resolver.ts), and resources whose
 * `Condition` is false are skipped. Only the resource types the emulator uses are extracted: IAM
 * roles and policies, Lambda functions (with environment and asset path), DynamoDB tables, S3
 * buckets, and Bedrock guardrails, application inference profiles, agents, agent aliases and
 * knowledge bases.
 */
import { NamedPolicy, PolicyDocument } from './identities';
import { Resolver, TemplateError } from './intrinsic-resolver';

export { partitionOf, TemplateError } from './intrinsic-resolver';

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
