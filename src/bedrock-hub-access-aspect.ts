import { Annotations, IAspect } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import type { BedrockHubAccess } from './bedrock-hub-access';
import { isLambdaAtEdge, isSingletonFunction, providerFrameworkOf } from './private/lambda-facts';
import { WARNINGS } from './private/warnings';

/** Options of {@link BedrockHubAccess.applyToAll} and {@link BedrockHubAccessAspect}. */
export interface ApplyToAllOptions {
  /**
   * Constructs to leave alone: no function at or below any of them gets hub access from this
   * aspect (`applyTo` still works on them).
   *
   * @default - none
   */
  readonly exclude?: IConstruct[];
}

/**
 * Applies a {@link BedrockHubAccess} to every `lambda.Function` it visits. Usually added with
 * `BedrockHubAccess.applyToAll(scope)`, which documents what it skips and why.
 *
 * Add it yourself to choose the priority: `Aspects.of(scope).add(new BedrockHubAccessAspect(access), { priority })`.
 * It mutates the tree, so it belongs before read-only aspects such as cdk-nag
 * (`AspectPriority.MUTATING`, as `applyToAll` uses).
 */
export class BedrockHubAccessAspect implements IAspect {
  private readonly exclude: IConstruct[];

  /**
   * @param access the hub access to apply
   * @param options what to leave out
   */
  constructor(private readonly access: BedrockHubAccess, options: ApplyToAllOptions = {}) {
    this.exclude = [...(options.exclude ?? [])];
  }

  /** Applies hub access to `node` if it is a `lambda.Function` this aspect should handle. */
  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.Function)) return;
    if (node.node.scopes.some((scope) => this.exclude.includes(scope))) return;

    if (isSingletonFunction(node)) {
      Annotations.of(node).addInfo(
        `BedrockHubAccess '${this.access.node.path}' (applyToAll) skipped this singleton provider function, which CDK constructs share; ` +
        'call applyTo on it if it must call Bedrock through the hub.',
      );
      return;
    }
    const provider = providerFrameworkOf(node);
    if (provider) {
      Annotations.of(node).addInfo(
        `BedrockHubAccess '${this.access.node.path}' (applyToAll) skipped this function of the custom-resource provider framework '${provider.node.path}'; ` +
        'the handler you gave the provider is applied to like any other function.',
      );
      return;
    }
    if (isLambdaAtEdge(node)) {
      Annotations.of(node).addWarningV2(
        WARNINGS.EDGE_FUNCTION_SKIPPED.id,
        `BedrockHubAccess '${this.access.node.path}' (applyToAll) skipped this Lambda@Edge function: Lambda@Edge allows no environment variables, ` +
        'which hub access needs. Acknowledge this warning if it does not call Bedrock; otherwise call Bedrock from a regional function.',
      );
      return;
    }
    this.access._applyFromAspect(node);
  }
}
