// How every construct of this library reports bad input: one message style, naming the
// construct's path, in the spirit of aws-cdk-lib's internal `ValidationError(message, scope)`.
// Not part of the jsii surface.
import { IConstruct } from 'constructs';

/** `BedrockHubRole 'Hub/HubRole'`: how messages name a construct. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} '${scope.node.path}'`;
}

/** The message of an error about `scope`: `<Construct> '<path>': <message>`. */
export function constructMessage(scope: IConstruct, message: string): string {
  return `${describeConstruct(scope)}: ${message}`;
}

/** An error about `scope`, to throw: its message names the construct's path. */
export function constructError(scope: IConstruct, message: string): Error {
  return new Error(constructMessage(scope, message));
}
