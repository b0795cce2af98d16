import {
  BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand, ListFoundationModelsCommand, ListInferenceProfilesCommand,
} from '@aws-sdk/client-bedrock';
import { AwsEmulator, IssuedCredentials, PolicyDocument } from '../../../emulator';
import { allow, clientConfig, errorOf, HUB, HUB_ROLE_ARN, REGION, startHubAndWorkload, stopChecked, WORKLOAD } from '../fixtures';

const HAIKU_PROFILE = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';

let emulator: AwsEmulator;

afterEach(() => stopChecked(emulator));

async function controlPlane(permissions?: PolicyDocument): Promise<BedrockClient> {
  ({ emulator } = await startHubAndWorkload({ hub: { permissions } }));
  const credentials: IssuedCredentials = emulator.roleSessionCredentials(HUB_ROLE_ARN, 'fn');
  return new BedrockClient(clientConfig(emulator, credentials));
}

describe('GetInferenceProfile', () => {
  test.each([
    ['ID', HAIKU_PROFILE],
    ['ARN', `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${HAIKU_PROFILE}`],
  ])('a system-defined profile by %s lists the model in every destination region', async (_, identifier) => {
    const client = await controlPlane();
    const profile = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier }));
    expect(profile).toMatchObject({
      inferenceProfileId: HAIKU_PROFILE,
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${HAIKU_PROFILE}`,
      type: 'SYSTEM_DEFINED',
      status: 'ACTIVE',
    });
    expect(profile.models?.map((m) => m.modelArn)).toEqual(['us-east-1', 'us-east-2', 'us-west-2']
      .map((r) => `arn:aws:bedrock:${r}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0`));
    expect(profile.createdAt).toBeInstanceOf(Date);
  });

  test('an application inference profile of the hub, by ID', async () => {
    const client = await controlPlane();
    const created = emulator.bedrock.addApplicationInferenceProfile({
      accountId: HUB, region: REGION, name: 'team-a', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0',
    });
    const profile = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileId }));
    expect(profile).toMatchObject({
      inferenceProfileArn: created.arn,
      type: 'APPLICATION',
      inferenceProfileName: 'team-a',
      models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' }],
    });
  });

  test('an application inference profile in the workload account is denied (it is account-scoped)', async () => {
    const client = await controlPlane();
    const local = emulator.bedrock.addApplicationInferenceProfile({
      accountId: WORKLOAD, region: REGION, name: 'local', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0',
    });
    const error = await errorOf(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: local.arn })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(`User: arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/fn is not authorized to perform: bedrock:GetInferenceProfile `
      + `on resource: ${local.arn} because no identity-based policy allows the bedrock:GetInferenceProfile action`);
  });

  test('a profile ID the hub does not have is not found', async () => {
    const client = await controlPlane();
    await expect(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'abcdefghijkl' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  test('without bedrock:GetInferenceProfile the caller is denied', async () => {
    const client = await controlPlane(allow('bedrock:InvokeModel', '*'));
    await expect(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: HAIKU_PROFILE })))
      .rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(/because no identity-based policy allows the bedrock:GetInferenceProfile action$/) });
  });
});

describe('foundation models', () => {
  test('GetFoundationModel describes the model', async () => {
    const client = await controlPlane(allow('bedrock:GetFoundationModel', 'arn:aws:bedrock:*::foundation-model/*'));
    const { modelDetails } = await client.send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-lite-v1:0' }));
    expect(modelDetails).toMatchObject({
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0',
      providerName: 'Amazon',
      responseStreamingSupported: true,
      inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
    });
  });

  test('GetFoundationModel of an unknown model is not found', async () => {
    const client = await controlPlane(allow('bedrock:GetFoundationModel', '*'));
    await expect(client.send(new GetFoundationModelCommand({ modelIdentifier: 'acme.nothing-v1' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Could not resolve the foundation model from the provided model identifier.' });
  });

  test('the list calls need their own permissions', async () => {
    const client = await controlPlane(allow(['bedrock:ListFoundationModels', 'bedrock:ListInferenceProfiles'], '*'));
    const models = await client.send(new ListFoundationModelsCommand({}));
    expect(models.modelSummaries?.map((m) => m.modelId)).toContain('anthropic.claude-3-5-haiku-20241022-v1:0');
    const profiles = await client.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' }));
    expect(profiles.inferenceProfileSummaries?.map((p) => p.inferenceProfileId)).toContain(HAIKU_PROFILE);
    expect(profiles.inferenceProfileSummaries?.map((p) => p.inferenceProfileId)).not.toContain('eu.anthropic.claude-3-haiku-20240307-v1:0');
  });
});
