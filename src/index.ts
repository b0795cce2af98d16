// The construct library's public (jsii) surface. Nothing exported here may touch `@aws-sdk/*`:
// the runtime shim lives in `lambda-shim/` and is published as `bedrock-hub-access/lambda-shim`.

// Workload account: Lambda functions that call Bedrock through the hub.
export * from './bedrock-hub-access';
export * from './bedrock-hub-access-props';
export * from './bedrock-hub-access-parameters';
export * from './hub-target';
export * from './sts-endpoint-options';
export * from './bedrock-hub-access-aspect';
export * from './bedrock-hub-environment';

// Hub account: the role workload functions assume.
export * from './bedrock-hub-role';
export * from './bedrock-model';
