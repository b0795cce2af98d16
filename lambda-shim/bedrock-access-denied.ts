/**
 * The access-denied half of the Bedrock diagnosis (`bedrock-diagnosis.ts`): an AccessDenied from a
 * Bedrock call, read through its reason clause (`access-denied-message.ts`), explained by the policy
 * type that denied and the account it lives in, the region a cross-region profile routed to, the
 * region-less ARN of a global profile, a guardrail condition, or the model access the hub account lacks
 * (Marketplace subscription, first-use form, payment method).
 */

import { parseAccessDeniedMessage } from './access-denied-message';
import type { AccessDeniedMessage } from './access-denied-message';
import { foreignResource, modelAccess, modelText } from './bedrock-facts';
import type { Facts } from './bedrock-facts';
import { actionOnResource, organizationText, policyArnText } from './denying-policy';
import { BedrockHubError } from './errors';
import { geographyPrefixOf, sourceGeographyOf } from '../src/contract';

// ---------------------------------------------------------------------------
// Access denied
// ---------------------------------------------------------------------------

export function accessDenied(f: Facts): BedrockHubError {
  const { message } = f;
  if (/aws-marketplace:(ViewSubscriptions|Subscribe)\b/.test(message)) return marketplace(f);
  if (/INVALID_PAYMENT_INSTRUMENT|payment instrument/i.test(message)) {
    return modelAccess(f, `Bedrock could not complete the AWS Marketplace subscription of ${f.roleAccount}: the account has no valid payment method.`,
      `Add a valid payment method to ${f.roleAccount} (Billing and Cost Management > Payment preferences; in an organization, the ` +
      'management account pays), then call again: the first call starts the subscription, which takes a few minutes. No role or policy change helps.');
  }
  if (/don.t have access to the model/i.test(message)) return retiredModelAccess(f);
  if (/account is not authorized to invoke this API operation/i.test(message)) {
    const prompt = /prompt resource/i.test(message) ? ' with a prompt resource' : '';
    return modelAccess(f, `Bedrock refused ${f.roleAccount} itself (not a role) the operation${prompt} in ${f.ctx.region}${modelText(f)}.`,
      `This is a restriction on ${f.roleAccount} in ${f.ctx.region}, not a policy: check that Bedrock offers the model and the feature in ` +
      `${f.ctx.region}, that the account is in good standing, and otherwise open a case with AWS Support from account ${f.ctx.account}.`);
  }
  if (/Access denied when calling Bedrock/i.test(message)) {
    return new BedrockHubError('hub-permission',
      `The agent call was denied, and Bedrock did not say to whom.${f.said}`,
      `Either ${f.role} lacks bedrock:InvokeAgent on the agent alias, or the agent's service role in account ${f.ctx.account} lacks what ` +
      'the agent does on its behalf (bedrock:InvokeModel on its model or inference profile, bedrock:Retrieve on its knowledge bases, ' +
      'bedrock:ApplyGuardrail on its guardrail): check both.',
      f.error);
  }

  const denial = parseAccessDeniedMessage(message);
  if (!denial) return unstatedDenial(f, undefined);
  const principal = denial.principalArn ?? '';
  if (denial.principalAccount && denial.principalAccount !== f.ctx.account) {
    return new BedrockHubError('wrong-client',
      `The Bedrock call was made as ${principal}, not as the ${f.ctx.kind} role ${f.ctx.roleArn} (account ${f.ctx.account}).${f.said}`,
      'Make the call with a client built by `hub.client(...)`, or give the library the provider `hub.credentials`; a client built with ' +
      '`new …Client()` uses the function\'s own credentials.',
      f.error);
  }
  const roleName = f.ctx.roleArn.split('/').pop();
  const principalRole = /:assumed-role\/([^/]+)\//.exec(principal)?.[1];
  if (principalRole && roleName && principalRole !== roleName) return serviceRoleDenied(f, denial, principalRole);

  if (denial.resourceAccount && denial.resourceAccount !== f.ctx.account && denial.denyKind !== 'explicit' &&
      (denial.policyType === undefined || denial.policyType === 'identity-based')) {
    return foreignResource(f, denial.resourceArn!, denial.resourceAccount);
  }
  switch (denial.policyType) {
    case 'service-control': return organizationPolicyDenied(f, denial, 'service control policy');
    case 'resource-control': return organizationPolicyDenied(f, denial, 'resource control policy');
    case 'permissions-boundary': return boundaryDenied(f, denial);
    case 'session': return sessionPolicyDenied(f, denial);
    case 'vpc-endpoint': return vpcEndpointDenied(f, denial);
    case 'resource-based': return resourcePolicyDenied(f, denial);
    case 'identity-based': return identityPolicyDenied(f, denial);
    default: return unstatedDenial(f, denial);
  }
}

/** The model-access mechanics since the per-model switch was retired (Bedrock user guide, "Access Amazon Bedrock foundation models"). */
function currentMechanics(f: Facts): string {
  return `Serverless models are enabled by default; what can still be missing in ${f.roleAccount} (the account that signs, not the workload ` +
    'account) is: the AWS Marketplace subscription the first call to a model starts (it needs aws-marketplace:Subscribe and ' +
    'aws-marketplace:ViewSubscriptions on the calling role, or one call by an administrator; it takes a few minutes), Anthropic\'s ' +
    'first-time-use form (once per account, or once in the organization\'s management account), or a valid payment method.';
}

function retiredModelAccess(f: Facts): BedrockHubError {
  return modelAccess(f, `Bedrock in ${f.ctx.region} refused ${f.roleAccount} the model${modelText(f)}.`,
    `${currentMechanics(f)} For a cross-region inference profile, the model must also be offered in ${f.ctx.region}, the source region.`);
}

function marketplace(f: Facts): BedrockHubError {
  return new BedrockHubError('hub-permission',
    `The first call to this model in ${f.roleAccount} starts its AWS Marketplace subscription, and ${f.role} may not make it.${f.said}`,
    `The role lacks the AWS Marketplace actions the first call needs: allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe to ${f.ctx.roleArn}, limited to calls made through Bedrock ` +
    '(aws:CalledViaLast = bedrock.amazonaws.com; BedrockHubRole\'s allowModelSubscription does this), or have an administrator of ' +
    `account ${f.ctx.account} make one call to the model. Subscriptions are per account: the workload account's does not count. ` +
    'The subscription takes a few minutes to complete; call again after that.',
    f.error);
}

/** Another role of the hub account was denied: an agent's or knowledge base's service role. */
function serviceRoleDenied(f: Facts, denial: AccessDeniedMessage, principalRole: string): BedrockHubError {
  return new BedrockHubError('hub-permission',
    `Bedrock denied ${actionOnResource(denial)} to ${principalRole}, a role of account ${f.ctx.account} that acts on the call's behalf ` +
    `(an agent's or knowledge base's service role), not to the ${f.ctx.kind} role.${f.said}`,
    `Fix ${principalRole}'s policies in account ${f.ctx.account}: its ${denial.policyTypeText ?? 'policies'} must allow ${actionOnResource(denial)}. ` +
    `The ${f.ctx.kind} role's own permissions are not involved.`,
    f.error);
}

function organizationPolicyDenied(f: Facts, denial: AccessDeniedMessage, type: string): BedrockHubError {
  const org = organizationText(denial, f.ctx.account);
  const lead = denial.denyKind === 'explicit'
    ? `An explicit deny in a ${type}${policyArnText(denial)} of ${org} blocks ${actionOnResource(denial)} for ${f.role}.`
    : `No ${type} of ${org} allows ${actionOnResource(denial)}: the ${type}s attached to the account, its OUs and the root form an allow list without it.`;
  const fix = denial.denyKind === 'explicit'
    ? `The ${type}${policyArnText(denial)} of ${org} explicitly denies ${denial.action}: no allow on the role can override it. The organization's administrators (in ${denial.policyAccount ? `account ${denial.policyAccount}` : 'its management account'}) ` +
      `must exempt the role or this model and region from the ${type}, or use a model and region it permits.`
    : `The ${type}s of ${org} allow no ${denial.action}: the organization's administrators must add it to the ${type}s that apply to account ${f.ctx.account}; a policy on the role cannot help.`;
  return new BedrockHubError('hub-permission', `${lead}${f.said}`, `${fix}${routingNote(f, denial)}`, f.error);
}

function boundaryDenied(f: Facts, denial: AccessDeniedMessage): BedrockHubError {
  const lead = denial.denyKind === 'explicit'
    ? `An explicit deny in the permissions boundary${policyArnText(denial)} of ${f.role} blocks ${actionOnResource(denial)}.`
    : `The permissions boundary of ${f.role} does not allow ${actionOnResource(denial)}.`;
  const fix = denial.denyKind === 'explicit'
    ? `The role's permissions boundary${policyArnText(denial)} denies this call explicitly: change that boundary policy in account ${f.ctx.account} so it no longer denies it, or set another boundary on the role.`
    : `The role's permissions boundary${policyArnText(denial)} lacks ${denial.action} on this resource: add it to the boundary policy${denial.policyArn ? ` ${denial.policyArn}` : ''} in account ${f.ctx.account}: ` +
      'the role\'s own policies cannot grant more than its boundary allows.';
  return new BedrockHubError('hub-permission', `${lead}${f.said}`, `${fix}${routingNote(f, denial)}`, f.error);
}

function sessionPolicyDenied(f: Facts, denial: AccessDeniedMessage): BedrockHubError {
  return new BedrockHubError('hub-permission',
    `${denial.denyKind === 'explicit' ? 'An explicit deny in a session policy' : 'The session policy'} of the ${f.ctx.kind} role's session ` +
    `${denial.denyKind === 'explicit' ? 'blocks' : 'does not allow'} ${actionOnResource(denial)}.${f.said}`,
    'The shim passes no session policy to AssumeRole; one on this session was passed (Policy / PolicyArns) by whatever created the ' +
    'credentials the call was signed with. Remove it or add this action and resource to it, or sign with a client built by `hub.client(...)`.',
    f.error);
}

/** The VPC endpoint service a Bedrock operation goes through. */
function endpointService(f: Facts): string {
  const op = f.call.operation ?? '';
  const service = /^(InvokeAgent|Retrieve|RetrieveAndGenerate|RetrieveAndGenerateStream|InvokeFlow|InvokeInlineAgent)$/.test(op) ? 'bedrock-agent-runtime'
    : /^(Converse|ConverseStream|InvokeModel|InvokeModelWithResponseStream|ApplyGuardrail|CountTokens|InvokeModelWithBidirectionalStream)$/.test(op) || op === '' ? 'bedrock-runtime'
      : 'bedrock';
  return `com.amazonaws.${f.ctx.region}.${service}`;
}

function vpcEndpointDenied(f: Facts, denial: AccessDeniedMessage): BedrockHubError {
  const endpoint = endpointService(f);
  if (denial.transitivePolicyType === 'service-control') {
    return new BedrockHubError('hub-permission',
      `An explicit deny in a service control policy, applied through the VPC endpoint (${endpoint}) the call went through, blocks ` +
      `${actionOnResource(denial)}.${f.said}`,
      'The service control policy of the organization that owns the VPC endpoint\'s account denies this call; its administrators must ' +
      'exempt it. No allow on the role or in the endpoint policy can override it.',
      f.error);
  }
  return new BedrockHubError('vpc-endpoint-policy',
    `The VPC endpoint policy of the interface endpoint ${endpoint} the function calls Bedrock through ` +
    `${denial.denyKind === 'explicit' ? 'explicitly denies' : 'does not allow'} ${actionOnResource(denial)} by ${f.ctx.roleArn}.${f.said}`,
    `The endpoint belongs to the function's VPC (the workload account), not to the ${f.ctx.kind} account: edit the VPC endpoint policy of ` +
    `${endpoint} so it allows ${denial.action} for the principal ${f.ctx.roleArn} (a role of another account) on this resource. ` +
    'Neither the execution role nor the hub role can fix it.',
    f.error);
}

function resourcePolicyDenied(f: Facts, denial: AccessDeniedMessage): BedrockHubError {
  const owner = denial.resourceAccount || f.ctx.account;
  const type = /:(guardrail|knowledge-base|agent-alias|agent|prompt|flow)[/:]/.exec(denial.resourceArn ?? '')?.[1] ?? 'resource';
  return new BedrockHubError('hub-permission',
    `${denial.denyKind === 'explicit' ? `An explicit deny in the resource-based policy of the ${type}` : `The resource-based policy of the ${type}`} ` +
    `${denial.resourceArn ?? ''} in account ${owner} ${denial.denyKind === 'explicit' ? 'blocks' : 'does not allow'} ${denial.action} by ${f.role}.${f.said}`,
    denial.denyKind === 'explicit'
      ? `Only the owner of the ${type}, account ${owner}, can lift it: its resource-based policy must stop denying ${f.ctx.roleArn}.`
      : `The ${type}'s resource-based policy in account ${owner} must name ${f.ctx.roleArn} (or account ${f.ctx.account}) as Principal for ${denial.action}, ` +
        `and the role's identity-based policy must allow ${denial.action} on ${denial.resourceArn ?? 'it'}.`,
    f.error);
}

/** A guardrail requirement (`bedrock:GuardrailIdentifier` condition) is likely when a model call is denied and the request's guardrail is known. */
function guardrailNote(f: Facts, denial: AccessDeniedMessage): string {
  if (!/^bedrock:InvokeModel/.test(denial.action) || f.call.guardrailIdentifier === undefined) return '';
  if (f.call.guardrailIdentifier === null) {
    return ' The request carried no guardrail: if the policy requires one (a bedrock:GuardrailIdentifier condition), pass ' +
      'guardrailConfig (Converse) or guardrailIdentifier and guardrailVersion (InvokeModel) with the guardrail it names.';
  }
  const version = f.call.guardrailVersion ?? /:(\d+|DRAFT)$/.exec(f.call.guardrailIdentifier)?.[1];
  return ` The request carried the guardrail ${f.call.guardrailIdentifier}${version ? ` version ${version}` : ''}: a bedrock:GuardrailIdentifier ` +
    'condition is matched against the guardrail ARN with its version (arn:…:guardrail/<id>:<version>), so a policy that names version 1 ' +
    'does not allow DRAFT or another version; send the version the policy names.';
}

/** What a denied resource's region tells: a cross-region profile's destination, or a global profile's region-less ARN. */
function routingNote(f: Facts, denial: AccessDeniedMessage): string {
  const resource = denial.resourceArn ?? '';
  if (!/:foundation-model\//.test(resource)) return '';
  const modelId = resource.slice(resource.indexOf('foundation-model/') + 'foundation-model/'.length);
  const profile = f.call.modelId && geographyPrefixOf(f.call.modelId) ? f.call.modelId : undefined;
  if (denial.resourceRegion === '') {
    const geographic = sourceGeographyOf(f.ctx.region);
    return ` The denied ARN is region-less: a global inference profile (${profile ?? `global.${modelId}`}) is authorized on ` +
      `arn:aws:bedrock:::foundation-model/${modelId}, which policies that restrict regions (aws:RequestedRegion) often deny.` +
      (geographic ? ` A geographic profile (${geographic}.${modelId}) keeps the call in ${geographic}. regions.` : '');
  }
  if (denial.resourceRegion && denial.resourceRegion !== f.ctx.region) {
    return ` The client called ${f.ctx.region}, but the denied model is in ${denial.resourceRegion}: the inference profile ` +
      `${profile ?? '(a cross-region profile)'} routed the call there.`;
  }
  return '';
}

function identityPolicyDenied(f: Facts, denial: AccessDeniedMessage): BedrockHubError {
  const resource = denial.resourceArn ?? '';
  if (denial.denyKind === 'explicit') {
    return new BedrockHubError('hub-permission',
      `An explicit deny in an identity-based policy${policyArnText(denial)} of ${f.role} blocks ${actionOnResource(denial)}.${f.said}`,
      `An identity-based policy of the role denies it explicitly, and an allow cannot override that: change the denying statement${denial.policyArn ? ` of ${denial.policyArn}` : ''} in account ${f.ctx.account}, ` +
      `or make a call it does not match.${routingNote(f, denial)}${guardrailNote(f, denial)}`,
      f.error);
  }
  const crossRegion = /:foundation-model\//.test(resource) && denial.resourceRegion !== undefined && denial.resourceRegion !== '' && denial.resourceRegion !== f.ctx.region;
  if (crossRegion) {
    const profile = f.call.modelId && geographyPrefixOf(f.call.modelId) ? f.call.modelId : 'the cross-region inference profile';
    return new BedrockHubError('hub-permission',
      `The client called ${f.ctx.region}, but the inference profile ${profile} routed the call to ${denial.resourceRegion}, and no identity-based ` +
      `policy of ${f.role} allows ${denial.action} on the model there (${resource}).${f.said}`,
      `The profile routed the call from ${f.ctx.region} to ${denial.resourceRegion}, where the role is not allowed the model: grant it in every destination region of the profile, ${denial.resourceRegion} included: ` +
      `BedrockModel.crossRegionProfile('${f.call.modelId ?? '<profile id>'}', { destinationRegions: [..., '${denial.resourceRegion}'] }) on the BedrockHubRole ` +
      '(or allDestinationRegions: true). Destination regions are listed on the model\'s page of the Amazon Bedrock user guide and grow over time.',
      f.error);
  }
  let grant: string;
  if (denial.resourceRegion === '' && /:foundation-model\//.test(resource)) {
    const id = resource.split('foundation-model/')[1];
    grant = `A global inference profile is authorized on the region-less ARN ${resource}: grant it with ` +
      `BedrockModel.crossRegionProfile('${f.call.modelId ?? `global.${id}`}') on the BedrockHubRole, which allows that ARN with the profile.`;
  } else if (/:application-inference-profile\//.test(resource)) {
    grant = 'Bedrock authorizes both the application inference profile and the model it routes to (the foundation-model ARN, or the ' +
      'cross-region profile and its models): grant them with BedrockModel.applicationInferenceProfile(arn, { routesTo }).';
  } else if (/:inference-profile\//.test(resource)) {
    grant = 'Bedrock authorizes the inference profile ARN and the foundation model in each destination region: grant both with ' +
      `BedrockModel.crossRegionProfile('${resource.split('inference-profile/')[1]}', { destinationRegions }) on the BedrockHubRole.`;
  } else if (/:guardrail-profile\//.test(resource)) {
    grant = `A cross-region guardrail sends ApplyGuardrail to the guardrail profile in the destination region (${denial.resourceRegion}): ` +
      `allow ${denial.action} on ${resource} (the guardrail profile, in the ${f.ctx.kind} account ${f.ctx.account}) and on the guardrail in each ` +
      'destination region (BedrockHubRole guardrails with their cross-region profile).';
  } else {
    grant = `Allow ${denial.action} on ${resource || 'the resource of this call'} in the role's identity-based policy (BedrockHubRole: ` +
      'add the model with BedrockModel, or the guardrail, knowledge base or agent to its props).';
  }
  return new BedrockHubError('hub-permission',
    `No identity-based policy of ${f.role} allows ${actionOnResource(denial)}.${f.said}`,
    `The hub role's identity-based policies (account ${f.ctx.account}) lack ${denial.action} on this resource. ${grant}${guardrailNote(f, denial)}`,
    f.error);
}

/** An access denial without a reason clause, or with an explicit deny of no stated type. */
function unstatedDenial(f: Facts, denial: AccessDeniedMessage | undefined): BedrockHubError {
  const what = denial ? actionOnResource(denial) : 'this call';
  if (denial?.denyKind === 'explicit') {
    return new BedrockHubError('hub-permission',
      `An explicit deny blocks ${what} for ${f.role}, and Bedrock did not say in which policy.${f.said}`,
      `An allow cannot override it. Look for the Deny statement among the policies that apply to ${f.ctx.roleArn}: its identity-based ` +
      `policies and permissions boundary (account ${f.ctx.account}), a service control policy or resource control policy of its organization, ` +
      `a session policy, or the VPC endpoint policy of the function's VPC.${denial ? routingNote(f, denial) : ''}`,
      f.error);
  }
  return new BedrockHubError('hub-permission',
    `Bedrock denied the call to the ${f.ctx.kind} role ${f.ctx.roleArn} in ${f.ctx.region} (${what}), and did not say by which policy.${f.said}`,
    `AssumeRole succeeded, so the workload side is fine. In the ${f.ctx.kind} account ${f.ctx.account}: allow ${denial?.action ?? 'the bedrock:* action of this call'} ` +
    'to the role on the model, inference-profile or guardrail ARNs it uses (its identity-based policy, within its permissions boundary), ' +
    'and check that no service control policy of its organization denies it.',
    f.error);
}

