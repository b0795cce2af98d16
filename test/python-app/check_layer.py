"""Runs the Python workload's handler the way Lambda would, from a synthesized cloud assembly: the
handler's inline code as index.py, the stack's shim layer (its staged asset) on sys.path as Lambda
puts /opt/python there, the boto3 the Lambda Python runtime ships (run with python/.venv-lambda),
no packaging step. Exits non-zero when a check fails.

- Hub mode off (BedrockHubRoleArn left empty, so no BEDROCK_ASSUME_ROLE_* variable): the handler
  module loads, imports the shim from the layer, and its Bedrock client signs with the function's
  own credentials.
- A role ARN with the ExternalId pasted after it: the import fails with BedrockHubError, layer
  "configuration", naming the variable, before any call.

Usage: python check_layer.py CDK_OUT STACK_NAME
"""
import json
import os
import subprocess
import sys
import tempfile

PROBE = r"""
import json, os, sys
result = {}
try:
    import index
    import bedrock_hub_access
    result["shim"] = bedrock_hub_access.__file__
    credentials = index.bedrock._request_signer._credentials
    result["access_key"] = credentials.access_key if credentials else None
    result["service"] = index.bedrock.meta.service_model.service_name
except Exception as error:  # reported to the parent, which decides
    result["error"] = type(error).__name__
    result["layer"] = getattr(error, "layer", None)
    result["message"] = str(error)
print(json.dumps(result))
"""


def main(cdk_out: str, stack_name: str) -> int:
    with open(os.path.join(cdk_out, f"{stack_name}.template.json"), encoding="utf-8") as f:
        resources = json.load(f)["Resources"]
    layers = [r for r in resources.values() if r["Type"] == "AWS::Lambda::LayerVersion"]
    functions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    if len(layers) != 1 or len(functions) != 1:
        print(f"expected one layer and one function in {stack_name}, found {len(layers)} and {len(functions)}")
        return 1
    layer_dir = os.path.join(cdk_out, "asset." + layers[0]["Properties"]["Content"]["S3Key"].removesuffix(".zip"), "python")
    fn = functions[0]["Properties"]
    if fn["Handler"] != "index.handler" or [{"Ref": next(k for k, v in resources.items() if v is layers[0])}] != fn["Layers"]:
        print(f"the function does not use the stack's layer as expected: {fn['Handler']}, {fn.get('Layers')}")
        return 1

    task = tempfile.mkdtemp(prefix="python-layer-task-")
    with open(os.path.join(task, "index.py"), "w", encoding="utf-8") as f:
        f.write(fn["Code"]["ZipFile"])

    def run(extra_env):
        env = {
            "PATH": os.environ["PATH"],
            # Lambda's sys.path: the task root, then the layers' python/ folders.
            "PYTHONPATH": os.pathsep.join([task, layer_dir]),
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_LAMBDA_FUNCTION_NAME": "WorkloadPython-Extract",
            "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEFUNCTION1",
            "AWS_SECRET_ACCESS_KEY": "function-secret",
            "AWS_SESSION_TOKEN": "function-token",
            **extra_env,
        }
        out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=task, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    failures = []
    off = run({})
    if "error" in off:
        failures.append(f"hub mode off: the handler did not load: {off}")
    else:
        if not off["shim"].startswith(layer_dir):
            failures.append(f"hub mode off: the shim came from {off['shim']}, not from the layer")
        if off["access_key"] != "ASIAEXAMPLEFUNCTION1" or off["service"] != "bedrock-runtime":
            failures.append(f"hub mode off: the Bedrock client does not sign with the function's credentials: {off}")

    pasted = run({"BEDROCK_ASSUME_ROLE_ARN": "arn:aws:iam::222222222222:role/BedrockHubRole ExternalId: not-printed"})
    if pasted.get("error") != "BedrockHubError" or pasted.get("layer") != "configuration" \
            or "BEDROCK_ASSUME_ROLE_ARN" not in pasted.get("message", "") or "not-printed" in pasted.get("message", ""):
        failures.append(f"a pasted ExternalId: expected BedrockHubError (configuration) naming the variable, got {pasted}")

    for failure in failures:
        print(f"  FAILED: {failure}")
    if not failures:
        print(f"  the layer ({len(os.listdir(os.path.join(layer_dir, 'bedrock_hub_access')))} files) serves the handler: "
              "hub mode off signs locally; a pasted ExternalId fails at import with BedrockHubError (configuration)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
