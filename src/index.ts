// The construct library's public (jsii) surface. Nothing exported here may touch `@aws-sdk/*`:
// the runtime shim lives in `lambda-shim/` and is published as `bedrock-hub-access/lambda-shim`.
export {};
