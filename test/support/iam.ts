/**
 * The IAM side of the construct tests, in their words: "may this role session do that?" and "which
 * roles does this template create, with which policies?". A thin adapter over the emulator's IAM
 * module, which holds the one wrapper of the policy engine and the one template resolver.
 */
export type { AccessCaller as RoleSession, AccessDecision, AccessRequest, CfnTemplate, NamedPolicy, PolicyDocument, TemplateEnvironment } from '../../emulator';
export { deploymentOf, evaluateAccess as evaluate, resourcesIn, roleIn, rolesIn } from '../../emulator';
