/**
 * Amazon Bedrock runtime (restJson1 over HTTP/2): `Converse`, `ConverseStream`, `InvokeModel`,
 * `InvokeModelWithResponseStream`, `ApplyGuardrail`.
 *
 * Each invocation resolves the model identifier to the ARNs IAM checks (the foundation model; for a
 * system-defined inference profile the profile plus the model in every destination region; for an
 * application inference profile the profile plus its underlying models), asks the policy engine for
 * each, then checks model access for the caller's account and region, then the guardrail, then
 * answers. Streaming answers use the event-stream framing.
 */
import { BedrockRoute, BedrockEndpoint } from './bedrock-endpoint';
import {
  BodyFormat, bodyFormatOf, deltas, estimateTokens, FoundationModel, invokeResponseBody, invokeStreamChunks, ModelReply, Prompt, promptFromInvokeBody,
} from './bedrock-models';
import { invalidModel, ModelTarget, requireBedrockPermission, subscribeOnFirstUse } from './bedrock-resources';
import { ServiceError } from '../server/errors';
import { eventMessage } from '../server/event-stream';
import type { EmulatorResponse } from '../server/server';
import { jsonResponse, parseJsonBody, ServiceRequestContext } from '../server/service';

/** The fixed latency the emulator reports in metrics. */
const LATENCY_MS = 120;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

/** What a guardrail did to a text. */
interface GuardrailOutcome {
  readonly intervened: boolean;
  readonly output: string;
  readonly matches: string[];
}

/** The Bedrock runtime service. */
export class BedrockRuntimeService extends BedrockEndpoint {
  public readonly name = 'bedrock-runtime' as const;
  protected readonly method = 'POST';
  protected readonly routes: readonly BedrockRoute[] = [
    ['/model/{modelId}/converse', 'Converse', (c) => this.converse(c, false)],
    ['/model/{modelId}/converse-stream', 'ConverseStream', (c) => this.converse(c, true)],
    ['/model/{modelId}/invoke', 'InvokeModel', (c) => this.invokeModel(c, false)],
    ['/model/{modelId}/invoke-with-response-stream', 'InvokeModelWithResponseStream', (c) => this.invokeModel(c, true)],
    ['/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply', 'ApplyGuardrail', (c) => this.applyGuardrail(c)],
  ];

  public eventCategory(): 'Management' {
    return 'Management';
  }

  /**
   * IAM, then existence, then the account's Marketplace subscription: the order Bedrock reports
   * failures in. A guardrail the request carries is the `bedrock:GuardrailIdentifier` condition key
   * (its ARN with `:<version>`), which policies use to require one.
   */
  private async authorizeModel(
    context: ServiceRequestContext, streaming: boolean, guardrail?: { identifier: string; version?: string },
  ): Promise<ModelTarget & { foundationModel: FoundationModel }> {
    const principal = context.caller.principal;
    const target = this.resources.resolveModel(context.params.modelId, principal.accountId, context.region);
    const action = streaming ? 'bedrock:InvokeModelWithResponseStream' : 'bedrock:InvokeModel';
    context.trail.resources = [{ ARN: target.resourceArn, accountId: target.checks[0].account }];
    const conditionKeys = guardrail
      ? { 'bedrock:GuardrailIdentifier': `${this.resources.lookupGuardrail(guardrail.identifier, principal.accountId, context.region).arn}:${guardrail.version ?? 'DRAFT'}` }
      : undefined;
    await requireBedrockPermission(this.policies, principal, action, target.checks, context.region, conditionKeys);
    if (!target.foundationModel) {
      throw invalidModel();
    }
    if (target.kind !== 'foundation-model') {
      const inferenceRegion = target.destinationRegions.includes(context.region) ? context.region : target.destinationRegions[0];
      context.trail.additionalEventData = { inferenceRegion };
    }
    if (streaming && !target.foundationModel.responseStreamingSupported) {
      throw validation('The model is unsupported for streaming.');
    }
    await subscribeOnFirstUse(this.policies, this.resources, context.caller.principal, context.region, target.foundationModel);
    return target as ModelTarget & { foundationModel: FoundationModel };
  }

  /** Checks permission on and existence of a guardrail, then applies it to `text`. */
  private async guard(context: ServiceRequestContext, identifier: string, version: string, text: string, source: 'INPUT' | 'OUTPUT', notFound: (message: string) => ServiceError): Promise<GuardrailOutcome> {
    const principal = context.caller.principal;
    const found = this.resources.lookupGuardrail(identifier, principal.accountId, context.region);
    await requireBedrockPermission(this.policies, principal, 'bedrock:ApplyGuardrail', [{ arn: found.arn, account: found.account }], context.region);
    const guardrail = found.resource;
    if (!guardrail || (version !== 'DRAFT' && !guardrail.versions.includes(version))) {
      throw notFound('The guardrail identifier or version provided in the request does not exist.');
    }
    const lower = text.toLowerCase();
    const matches = guardrail.blockedWords.filter((w) => lower.includes(w.toLowerCase()));
    return {
      intervened: matches.length > 0,
      output: source === 'INPUT' ? guardrail.blockedInputMessaging : guardrail.blockedOutputsMessaging,
      matches,
    };
  }

  private reply(context: ServiceRequestContext, target: ModelTarget & { foundationModel: FoundationModel }, prompt: Prompt): ModelReply {
    const answer = this.resources.respond({
      operation: context.operation,
      requestedModelId: target.requestedId,
      foundationModelId: target.foundationModel.modelId,
      prompt,
      principalArn: context.caller.principal.arn,
      accountId: context.caller.principal.accountId,
      region: context.region,
    });
    return {
      text: answer.text,
      stopReason: answer.stopReason ?? 'end_turn',
      inputTokens: answer.inputTokens ?? estimateTokens(prompt.system ?? '', ...prompt.messages.map((m) => m.text)),
      outputTokens: answer.outputTokens ?? estimateTokens(answer.text),
    };
  }

  private async converse(context: ServiceRequestContext, streaming: boolean): Promise<EmulatorResponse> {
    context.trail.requestParameters = { modelId: context.params.modelId };
    const body = parseJsonBody<Record<string, unknown>>(context.request.body, () => validation('Malformed input request, please reformat your input and try again.'));
    const requested = body.guardrailConfig as { guardrailIdentifier?: string; guardrailVersion?: string } | undefined;
    const target = await this.authorizeModel(context, streaming,
      requested?.guardrailIdentifier ? { identifier: requested.guardrailIdentifier, version: requested.guardrailVersion } : undefined);
    if (target.foundationModel.outputModalities.includes('EMBEDDING')) {
      throw validation('This action doesn\'t support the model that you provided. Try again with a supported text or chat model.');
    }
    const messages = Array.isArray(body.messages) ? body.messages as Array<{ role?: string; content?: Array<{ text?: string }> }> : [];
    if (messages.length === 0 || messages[0].role !== 'user') {
      throw validation('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
    }
    const prompt: Prompt = {
      messages: messages.map((m) => ({ role: m.role === 'assistant' ? 'assistant' : 'user', text: (m.content ?? []).map((c) => c.text ?? '').join('') })),
      system: Array.isArray(body.system) ? (body.system as Array<{ text?: string }>).map((s) => s.text ?? '').join('\n') : undefined,
    };
    const guardrailConfig = body.guardrailConfig as { guardrailIdentifier?: string; guardrailVersion?: string } | undefined;
    let reply: ModelReply;
    if (guardrailConfig?.guardrailIdentifier) {
      context.trail.requestParameters.guardrailIdentifier = guardrailConfig.guardrailIdentifier;
      const input = prompt.messages.map((m) => m.text).join('\n');
      const outcome = await this.guard(context, guardrailConfig.guardrailIdentifier, guardrailConfig.guardrailVersion ?? 'DRAFT', input, 'INPUT', validation);
      reply = outcome.intervened
        ? { text: outcome.output, stopReason: 'guardrail_intervened', inputTokens: estimateTokens(input), outputTokens: 0 }
        : this.reply(context, target, prompt);
    } else {
      reply = this.reply(context, target, prompt);
    }
    const usage = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, totalTokens: reply.inputTokens + reply.outputTokens };
    if (!streaming) {
      return jsonResponse({
        output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
        stopReason: reply.stopReason,
        usage,
        metrics: { latencyMs: LATENCY_MS },
      }, { requestId: context.requestId });
    }
    async function* events(): AsyncGenerator<Buffer> {
      yield eventMessage('messageStart', { role: 'assistant' });
      for (const text of deltas(reply.text)) {
        yield eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text } });
      }
      yield eventMessage('contentBlockStop', { contentBlockIndex: 0 });
      yield eventMessage('messageStop', { stopReason: reply.stopReason });
      yield eventMessage('metadata', { usage, metrics: { latencyMs: LATENCY_MS } });
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': context.requestId },
      body: events(),
    };
  }

  private async invokeModel(context: ServiceRequestContext, streaming: boolean): Promise<EmulatorResponse> {
    context.trail.requestParameters = { modelId: context.params.modelId };
    const headerGuardrail = context.request.headers['x-amzn-bedrock-guardrailidentifier'];
    const target = await this.authorizeModel(context, streaming,
      headerGuardrail ? { identifier: headerGuardrail, version: context.request.headers['x-amzn-bedrock-guardrailversion'] } : undefined);
    const format: BodyFormat = bodyFormatOf(target.foundationModel.modelId);
    const body = parseJsonBody<Record<string, unknown>>(context.request.body,
      () => validation('Malformed input request: expected a JSON body, please reformat your input and try again.'));
    const prompt = promptFromInvokeBody(format, body);
    const guardrailId = context.request.headers['x-amzn-bedrock-guardrailidentifier'];
    let reply: ModelReply;
    if (guardrailId) {
      context.trail.requestParameters.guardrailIdentifier = guardrailId;
      const input = prompt.messages.map((m) => m.text).join('\n');
      const outcome = await this.guard(context, guardrailId, context.request.headers['x-amzn-bedrock-guardrailversion'] ?? 'DRAFT', input, 'INPUT', validation);
      reply = outcome.intervened
        ? { text: outcome.output, stopReason: 'guardrail_intervened', inputTokens: estimateTokens(input), outputTokens: 0 }
        : this.reply(context, target, prompt);
    } else {
      reply = this.reply(context, target, prompt);
    }
    const modelId = target.foundationModel.modelId;
    if (!streaming) {
      return {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': context.requestId,
          'x-amzn-bedrock-input-token-count': String(reply.inputTokens),
          'x-amzn-bedrock-output-token-count': String(reply.outputTokens),
          'x-amzn-bedrock-invocation-latency': String(LATENCY_MS),
        },
        body: JSON.stringify(invokeResponseBody(format, modelId, reply, body)),
      };
    }
    const chunks = invokeStreamChunks(format, modelId, reply, LATENCY_MS);
    async function* events(): AsyncGenerator<Buffer> {
      for (const chunk of chunks) {
        yield eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(chunk), 'utf8').toString('base64') });
      }
    }
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-content-type': 'application/json',
        'x-amzn-requestid': context.requestId,
      },
      body: events(),
    };
  }

  private async applyGuardrail(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const { guardrailIdentifier, guardrailVersion } = context.params;
    const body = parseJsonBody<{ source?: string; content?: Array<{ text?: { text?: string } }> }>(context.request.body,
      () => validation('Malformed input request, please reformat your input and try again.'));
    context.trail.requestParameters = { guardrailIdentifier, guardrailVersion, source: body.source };
    if (body.source !== 'INPUT' && body.source !== 'OUTPUT') {
      throw validation(`1 validation error detected: Value '${body.source ?? 'null'}' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]`);
    }
    const text = (body.content ?? []).map((c) => c.text?.text ?? '').join('\n');
    const outcome = await this.guard(context, guardrailIdentifier, guardrailVersion, text, body.source,
      (message) => new ServiceError('ResourceNotFoundException', message, 404));
    return jsonResponse({
      usage: {
        topicPolicyUnits: 0,
        contentPolicyUnits: 0,
        wordPolicyUnits: Math.max(1, Math.ceil(text.length / 1000)),
        sensitiveInformationPolicyUnits: 0,
        sensitiveInformationPolicyFreeUnits: 0,
        contextualGroundingPolicyUnits: 0,
      },
      action: outcome.intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
      outputs: outcome.intervened ? [{ text: outcome.output }] : [],
      assessments: [outcome.intervened
        ? { wordPolicy: { customWords: outcome.matches.map((match) => ({ match, action: 'BLOCKED', detected: true })) } }
        : {}],
    }, { requestId: context.requestId });
  }
}
