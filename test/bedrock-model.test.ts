import { Lazy } from 'aws-cdk-lib';
import { BedrockModel, BedrockModelKind } from '../src/bedrock-model';

const HUB = '999999999999';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const US_SONNET = `us.${SONNET}`;
const US_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

describe('BedrockModel', () => {
  test('BedrockModel describes itself', () => {
    // WHEN
    const model = BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS });

    // THEN
    expect(model).toMatchObject({
      kind: BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE,
      identifier: US_SONNET,
    });
  });

  test('its grants are internal: only the kind and the identifier are public', () => {
    const model = BedrockModel.foundationModel(SONNET);
    expect(Object.keys(model).filter((key) => !key.startsWith('_')).sort()).toEqual(['identifier', 'kind']);
  });
});

describe('BedrockModel rejects what it cannot grant', () => {
  const cases: Array<[string, () => BedrockModel, RegExp]> = [
    ['a token model id', () => BedrockModel.foundationModel(Lazy.string({ produce: () => SONNET })), /modelId is a token; give the foundation model id literally/],
    ['a token profile id', () => BedrockModel.crossRegionProfile(Lazy.string({ produce: () => US_SONNET })), /profileId is a token; the foundation model id and the geography are read from it/],
    ['a foundation model ARN', () => BedrockModel.foundationModel(`arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`), /foundationModel\(.*\): modelId is an ARN; pass the model id/],
    ['a profile id as foundation model', () => BedrockModel.foundationModel(US_SONNET), /modelId is a cross-region inference profile id \('us\.' is a geography.*use BedrockModel\.crossRegionProfile/],
    ['a malformed foundation model id', () => BedrockModel.foundationModel('claude'), /modelId is not a foundation model id, which is '<provider>\.<model>'/],
    ['a bad model region', () => BedrockModel.foundationModel(SONNET, { regions: ['virginia'] }), /regions\[0\]: 'virginia' is not an AWS region code/],
    ['a geographic profile without destinations', () => BedrockModel.crossRegionProfile(US_SONNET), /destinationRegions is required for a geographic profile.*or set allDestinationRegions: true/],
    ['destinations and all destinations', () => BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS, allDestinationRegions: true }),
      /destinationRegions and allDestinationRegions are both set/],
    ['a foundation model id as profile', () => BedrockModel.crossRegionProfile(SONNET), /profileId looks like a foundation model id \('anthropic' is not a geography\); use BedrockModel\.foundationModel/],
    ['a profile ARN', () => BedrockModel.crossRegionProfile(`arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${US_SONNET}`), /profileId is an ARN; pass the inference profile id instead/],
    ['a malformed profile id', () => BedrockModel.crossRegionProfile('us'), /profileId is not an inference profile id\. A cross-region profile id is '<geography>\.<foundation model id>'/],
    ['a bad destination region', () => BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: ['US-EAST-1'] }), /destinationRegions\[0\]: 'US-EAST-1' is not an AWS region code/],
    ['a malformed application profile id', () => BedrockModel.applicationInferenceProfile('My Profile'), /'My Profile' is neither an application inference profile id .* nor its ARN/],
    ['a profile id as application profile', () => BedrockModel.applicationInferenceProfile(US_SONNET), /is neither an application inference profile id.*For a cross-region profile use BedrockModel\.crossRegionProfile\(\)/],
    ['an application profile routing to another', () => BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6', { routesTo: BedrockModel.applicationInferenceProfile('b1b2c3d4e5f6') }),
      /routesTo must be a BedrockModel\.foundationModel\(\) or BedrockModel\.crossRegionProfile\(\)/],
  ];

  test.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

