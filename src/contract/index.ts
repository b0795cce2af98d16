/**
 * The contract between the constructs (which write the environment of a Lambda function) and the
 * runtime shim (which reads it): variable names, and every pattern and limit either side checks,
 * each written once with the AWS API reference it comes from.
 *
 * This folder imports nothing outside itself. It is compiled into the construct library (jsii,
 * `lib/`) and into the runtime shim (`lib/shim/`), so both sides validate with the very same
 * rules. It is not part of the jsii API surface.
 */
export * from './environment';
export * from './values';
export * from './account';
export * from './role-arn';
export * from './session-attributes';
export * from './targets';
export * from './sts-regions';
export * from './bedrock-resources';
