/**
 * What makes a function read the `BEDROCK_ASSUME_ROLE_*` variables BedrockHubAccess sets: the shim
 * each runtime needs (bundled for Node.js, a layer for Python), the warning for runtimes no shim
 * serves, and the warning for a Bedrock API key that would let libraries skip the hub.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { BEARER_TOKEN_VARIABLE, setsBearerToken } from './function-environment';
import { layerRuntimes, layerServes, pythonLayerOf, ShimKind, shimFor } from './python-layer';
import { warn } from './warnings';

/**
 * Makes sure something in the function reads the variables: the Python shim layer for a Python
 * function (unless `pythonLayer` is false), nothing for Node.js (the shim is bundled), a warning
 * for a runtime no shim serves.
 */
export function provideShim(access: IConstruct, fn: lambda.Function, pythonLayer: boolean): void {
  const unread = `BedrockHubAccess '${access.node.path}' set the BEDROCK_ASSUME_ROLE_* variables on this function`;
  switch (shimFor(fn)) {
    case ShimKind.NODE:
      return;
    case ShimKind.PYTHON:
      if (!pythonLayer) return;
      if (layerServes(fn.runtime)) {
        fn.addLayers(pythonLayerOf(fn));
        return;
      }
      warn(fn, 'RUNTIME_WITHOUT_SHIM',
        `${unread}, but its runtime ${fn.runtime.name} is newer than the Python shim layer declares (${layerRuntimes().map((r) => r.name).join(', ')}), so the layer was not added. ` +
        'Vendor the shim in the function\'s package (pip install bedrock-hub-access) and set pythonLayer: false, or acknowledge this warning if its own code assumes the role.');
      return;
    case ShimKind.OLD_PYTHON:
      warn(fn, 'RUNTIME_WITHOUT_SHIM',
        `${unread}, but its runtime ${fn.runtime.name} is older than the Python shim supports (3.9), so nothing in it reads them and its Bedrock calls stay on local credentials. ` +
        'Move the function to a supported Python runtime, or acknowledge this warning if its own code assumes the role.');
      return;
    case ShimKind.IMAGE:
      warn(fn, 'RUNTIME_WITHOUT_SHIM',
        `${unread}, but it is a container image, whose language cannot be known at synth; no layer can be added to it. ` +
        'Install the shim in the image (bedrock-hub-access/lambda-shim for Node.js, pip install bedrock-hub-access for Python) and acknowledge this warning, ' +
        'or its Bedrock calls stay on local credentials.');
      return;
    case ShimKind.NONE:
      warn(fn, 'RUNTIME_WITHOUT_SHIM',
        `${unread}, but no shim serves its runtime ${fn.runtime.name} (there is one for Node.js and one for Python), so nothing in it reads them and its Bedrock calls stay on local credentials. ` +
        'Assume the role in the function\'s own code (sts:AssumeRole on BEDROCK_ASSUME_ROLE_ARN with BEDROCK_ASSUME_ROLE_EXTERNAL_ID, which the construct granted) and acknowledge this warning, ' +
        'or do not apply hub access to it (applyToAll takes an exclude option).');
      return;
  }
}

/**
 * Warns (`bedrock-hub-access:bearerTokenInEnvironment`) on each function that sets
 * `AWS_BEARER_TOKEN_BEDROCK`: libraries given the hub credentials prefer that API key.
 *
 * @param variables each function and its environment variables, resolved (`currentVariables`)
 */
export function warnAboutBearerTokens(variables: ReadonlyMap<lambda.Function, Record<string, unknown>>): void {
  for (const [fn, current] of variables) {
    if (!setsBearerToken(current)) continue;
    warn(fn, 'BEARER_TOKEN_IN_ENVIRONMENT',
      `This function sets ${BEARER_TOKEN_VARIABLE}. Clients built by hub.client() never use it, but libraries given hub.credentials ` +
      '(the AI SDK\'s Bedrock provider, the Anthropic Bedrock SDK, …) prefer that API key and call Bedrock as its account, without the hub. ' +
      `Remove ${BEARER_TOKEN_VARIABLE} from the function, or acknowledge this warning if nothing in it calls Bedrock that way.`);
  }
}
