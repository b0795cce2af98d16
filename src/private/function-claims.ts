// Which BedrockHubAccess applies to a function (a function assumes one hub role), and what makes a
// function unusable for hub access. Not part of the jsii surface.
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { describeConstruct } from './errors';
import { isLambdaAtEdge } from './lambda-facts';

/** Which construct applies to a function, and how. */
export interface Claim {
  readonly access: IConstruct;
  /** How the construct's hub role is shown in messages. */
  readonly hubRole: string;
  readonly viaAspect: boolean;
}

const claims = new WeakMap<lambda.Function, Claim>();

/** The claim on a function, if any. */
export function claimOf(fn: lambda.Function): Claim | undefined {
  return claims.get(fn);
}

/** Records that `claim.access` applies to `fn`. */
export function claim(fn: lambda.Function, value: Claim): void {
  claims.set(fn, value);
}

/**
 * Throws unless hub access can be applied to `fn` by `mine`: a `lambda.Function` defined in this
 * app (a jsii caller can pass anything), not claimed by another BedrockHubAccess, no Lambda@Edge
 * function, with an execution role.
 */
export function checkApplicable(mine: Claim, fn: lambda.Function, viaAspect: boolean): void {
  const owner = describeConstruct(mine.access);
  if (!(fn instanceof lambda.Function)) {
    const given: unknown = fn;
    const what = Construct.isConstruct(given) ? `'${given.node.path}'` : `the value ${String(given)}`;
    throw new Error(
      `${owner}: ${what} is not a lambda.Function defined in this app. ` +
      'A function imported with lambda.Function.fromFunctionArn / fromFunctionAttributes, an alias or a version cannot have its environment set from here: ' +
      'apply BedrockHubAccess in the app that defines the function, or there set the BEDROCK_ASSUME_ROLE_* variables and grant sts:AssumeRole on the hub role to its role.',
    );
  }
  const other = claims.get(fn);
  if (other && other.access !== mine.access) {
    throw new Error(
      `${owner} (hub role ${mine.hubRole}) cannot apply to function '${fn.node.path}': ` +
      `BedrockHubAccess '${other.access.node.path}' (hub role ${other.hubRole}) already does${other.viaAspect ? ' through applyToAll' : ''}, ` +
      `and a function assumes one hub role. Apply only one of them to this function${other.viaAspect || viaAspect ? ' (applyToAll takes an exclude option)' : ''}.`,
    );
  }
  if (isLambdaAtEdge(fn)) {
    throw new Error(
      `${owner}: function '${fn.node.path}' is a Lambda@Edge function (its role trusts edgelambda.amazonaws.com), ` +
      'and Lambda@Edge functions cannot have environment variables, which hub access needs. Call Bedrock from a regional function instead.',
    );
  }
  if (!fn.role) {
    throw new Error(
      `${owner}: function '${fn.node.path}' has no execution role, so it cannot be granted sts:AssumeRole on the hub role. ` +
      'Give the function a role (every lambda.Function defined in this app has one).',
    );
  }
}

/** The error when a function was made a Lambda@Edge function after hub access was applied. */
export function lateEdgeProblem(owner: IConstruct, fn: lambda.Function): string | undefined {
  if (!isLambdaAtEdge(fn)) return undefined;
  return `${describeConstruct(owner)}: function '${fn.node.path}' was made a Lambda@Edge function (its role trusts edgelambda.amazonaws.com) after hub access was applied; ` +
    'Lambda@Edge functions cannot have environment variables. Do not apply hub access to it.';
}
