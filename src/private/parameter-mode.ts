// Parameter mode (`BedrockHubAccess.fromParameters`): the deploy-time parameters, the conditions
// that switch hub access on and off, and the one `Fn::If` / `AWS::NoValue` wrapper every
// conditional value goes through. Not part of the jsii surface.
import { Aws, CfnCondition, CfnParameter, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EXTERNAL_ID_PATTERN_SOURCE, ROLE_ARN_PATTERN_SOURCE, SESSION_NAME_PATTERN_SOURCE } from '../contract';

/** Logical ids of the parameters and conditions of parameter mode; fixed, so that deploy scripts can rely on them. */
export const PARAMETER = {
  ROLE_ARN: 'BedrockHubRoleArn',
  EXTERNAL_ID: 'BedrockHubRoleExternalId',
  SESSION_NAME: 'BedrockHubRoleSessionName',
  ENABLED: 'BedrockHubRoleEnabled',
  EXTERNAL_ID_SET: 'BedrockHubRoleExternalIdSet',
  SESSION_NAME_SET: 'BedrockHubRoleSessionNameSet',
} as const;

/** `[Ee][Xx]…`: a case-insensitive literal without flags, which CloudFormation's patterns cannot take. */
function anyCase(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
}

/**
 * The contract's `describeRoleArnProblem` check for an ExternalId pasted after the role name
 * (`…:role/Hub,ExternalId=…`, which the ARN pattern itself accepts: ',' and '=' are legal in role
 * names), as a lookahead that JavaScript and CloudFormation (Java) both run. Whitespace needs no
 * case here: the ARN pattern rejects it.
 */
const NO_PASTED_EXTERNAL_ID = `(?!.*[,;|]${anyCase('external')}[_-]?${anyCase('id')}[:=])`;

/** `AllowedPattern`s of the parameters: empty, or a valid value; anchored, so nothing else can sneak in. */
export const PARAMETER_PATTERN = {
  ROLE_ARN: `^(|${NO_PASTED_EXTERNAL_ID}${ROLE_ARN_PATTERN_SOURCE})$`,
  EXTERNAL_ID: `^(|${EXTERNAL_ID_PATTERN_SOURCE})$`,
  SESSION_NAME: `^(|${SESSION_NAME_PATTERN_SOURCE})$`,
} as const;

const INTERFACE_METADATA = 'AWS::CloudFormation::Interface';

/** The conditions that switch hub access on and off in one stack. */
export interface Conditions {
  readonly enabled: CfnCondition;
  readonly externalIdSet: CfnCondition;
  readonly sessionNameSet: CfnCondition;
}

/** The three parameters of parameter mode. */
export interface ParameterSet {
  readonly hubRoleArn: CfnParameter;
  readonly externalId: CfnParameter;
  readonly sessionName: CfnParameter;
}

/** `value` when `condition` holds, nothing (`AWS::NoValue`) otherwise; `value` itself without a condition. */
export function conditional(condition: CfnCondition | undefined, value: string): string {
  return condition ? Token.asString(Fn.conditionIf(condition.logicalId, value, Aws.NO_VALUE)) : value;
}

/** Whether `stack` is `home` or nested in it (a CloudFormation condition reaches no other stack). */
export function isSameOrNestedIn(stack: Stack, home: Stack): boolean {
  for (let s: Stack | undefined = stack; s; s = s.nestedStackParent) {
    if (s === home) return true;
  }
  return false;
}

/** The conditions over `parameters`, defined in `scope` (the stack, or an anchor in a nested stack). */
export function conditionsOf(scope: Construct, parameters: ParameterSet, ids: Record<keyof Conditions, string>): Conditions {
  const enabled = new CfnCondition(scope, ids.enabled, {
    expression: Fn.conditionNot(Fn.conditionEquals(parameters.hubRoleArn.valueAsString, '')),
  });
  return {
    enabled,
    externalIdSet: new CfnCondition(scope, ids.externalIdSet, {
      expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(parameters.externalId.valueAsString, ''))),
    }),
    sessionNameSet: new CfnCondition(scope, ids.sessionNameSet, {
      expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(parameters.sessionName.valueAsString, ''))),
    }),
  };
}

/** Adds the parameters, their conditions and their console group to `stack`. */
export function addParameters(stack: Stack): { parameters: ParameterSet; conditions: Conditions } {
  const hubRoleArn = new CfnParameter(stack, PARAMETER.ROLE_ARN, {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERN.ROLE_ARN,
    constraintDescription:
      'must be empty (no hub: Bedrock is called in this account) or exactly one IAM role ARN, such as ' +
      'arn:aws:iam::111122223333:role/BedrockHubRole, with a 12-digit account and no spaces. ' +
      `If you pasted the role ARN and the ExternalId into this one field, put the ExternalId in ${PARAMETER.EXTERNAL_ID} instead.`,
    description:
      'ARN of the role to assume in the Amazon Bedrock hub account, e.g. arn:aws:iam::111122223333:role/BedrockHubRole. ' +
      'Leave empty to call Bedrock in this account: then no sts:AssumeRole permission and no BEDROCK_ASSUME_ROLE_* variable is deployed.',
  });
  const externalId = new CfnParameter(stack, PARAMETER.EXTERNAL_ID, {
    type: 'String',
    default: '',
    noEcho: true,
    allowedPattern: PARAMETER_PATTERN.EXTERNAL_ID,
    constraintDescription: 'must be empty or 2 to 1224 characters of letters, digits and + = , . @ : / _ - (no spaces).',
    description: `ExternalId required by the hub role's trust policy, passed to sts:AssumeRole. Leave empty if the trust policy requires none. Only used when ${PARAMETER.ROLE_ARN} is set.`,
  });
  const sessionName = new CfnParameter(stack, PARAMETER.SESSION_NAME, {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERN.SESSION_NAME,
    constraintDescription: 'must be empty or 2 to 64 characters of letters, digits and + = , . @ _ - (no spaces).',
    description: `RoleSessionName recorded by CloudTrail in the hub account. Leave empty to use each function's name. Only used when ${PARAMETER.ROLE_ARN} is set.`,
  });
  const parameters = { hubRoleArn, externalId, sessionName };
  const conditions = conditionsOf(stack, parameters, {
    enabled: PARAMETER.ENABLED,
    externalIdSet: PARAMETER.EXTERNAL_ID_SET,
    sessionNameSet: PARAMETER.SESSION_NAME_SET,
  });
  addParameterGroup(stack);
  return { parameters, conditions };
}

/** Adds the hub parameters as one group to the console's parameter form, keeping any groups already there. */
function addParameterGroup(stack: Stack): void {
  const existing = (stack.templateOptions.metadata?.[INTERFACE_METADATA] ?? {}) as {
    ParameterGroups?: unknown[];
    ParameterLabels?: Record<string, unknown>;
  };
  stack.addMetadata(INTERFACE_METADATA, {
    ...existing,
    ParameterGroups: [
      ...(existing.ParameterGroups ?? []),
      {
        Label: { default: 'Amazon Bedrock hub account (leave empty to call Bedrock in this account)' },
        Parameters: [PARAMETER.ROLE_ARN, PARAMETER.EXTERNAL_ID, PARAMETER.SESSION_NAME],
      },
    ],
    ParameterLabels: {
      ...(existing.ParameterLabels ?? {}),
      [PARAMETER.ROLE_ARN]: { default: 'Hub role ARN' },
      [PARAMETER.EXTERNAL_ID]: { default: 'Hub role ExternalId' },
      [PARAMETER.SESSION_NAME]: { default: 'Hub session name' },
    },
  });
}
