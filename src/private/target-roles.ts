// The target roles of a BedrockHubAccess (`targets`, `addTarget`, `addTargetRole`): the list, the
// labels errors name them by, and the value of `BEDROCK_ASSUME_ROLE_TARGETS`. Not part of the jsii surface.
import { Lazy, Stack } from 'aws-cdk-lib';
import { asTargetRole, Target } from './access-checks';
import type { HubTarget } from '../hub-target';

/** The target roles, in the order they were added. */
export class TargetRoles {
  private readonly list: Target[] = [];

  /** Every target so far. */
  public get all(): readonly Target[] {
    return this.list;
  }

  /** How errors name the next target: `targets[n]`. */
  public get nextLabel(): string {
    return `targets[${this.list.length}]`;
  }

  /** Adds a checked target; whether it is the first one. */
  public add(target: Target): boolean {
    this.list.push(target);
    return this.list.length === 1;
  }

  /** The targets as `BEDROCK_ASSUME_ROLE_TARGETS` holds them. */
  public asHubTargets(): HubTarget[] {
    return this.list.map(asTargetRole);
  }

  /** `BEDROCK_ASSUME_ROLE_TARGETS` for a stack (none without targets): the JSON of every target, ones added later included. */
  public value(stack: Stack): string | undefined {
    if (this.list.length === 0) return undefined;
    return Lazy.string({ produce: () => stack.toJsonString(this.asHubTargets()) });
  }

  /** The target roles' ARNs. */
  public roleArns(): string[] {
    return this.list.map((t) => t.roleArn);
  }
}
