"""The runtime loop inside a warm Python Lambda child process (started by ``runner.ts`` through
``python-runtime.ts``), the Python counterpart of ``runtime.ts``: it loads the handler module once
(the cold start), then serves the invocations the runner sends, one at a time, like the Lambda
Python runtime: ``handler(event, context)`` with a context that has ``aws_request_id``,
``function_name``, ``get_remaining_time_in_millis()`` & co., errors reported as
``{errorType, errorMessage, trace}``, a result that is not JSON refused as ``Runtime.MarshalError``.

It speaks the messages of ``protocol.ts`` over the IPC channel the runner opens (``NODE_CHANNEL_FD``:
one JSON object per line, each way), and writes the end-of-invocation marker to stdout and stderr
after each invocation so the runner can attribute log lines.

Arguments: ``<handler, e.g. handler.handler> <end-of-invocation marker>``. The code directory and the
layers are on ``PYTHONPATH``. The emulator's clock is installed before anything else is imported.
"""

import os
import sys

import child_clock

if os.environ.get("EMULATOR_CLOCK_FILE"):
    child_clock.install(os.environ["EMULATOR_CLOCK_FILE"])
# The handler's imports start from its code directory and layers, not from this folder.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

import importlib  # noqa: E402 - after the clock
import json  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from typing import Any, Callable, Dict, Optional  # noqa: E402

_channel = int(os.environ.pop("NODE_CHANNEL_FD"))
os.environ.pop("NODE_CHANNEL_SERIALIZATION_MODE", None)


def send(message: Dict[str, Any]) -> None:
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(_channel, data):]


def messages() -> Any:
    buffered = b""
    while True:
        chunk = os.read(_channel, 65536)
        if not chunk:
            return
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


def error_payload(error: BaseException, error_type: Optional[str] = None) -> Dict[str, Any]:
    return {
        "errorType": error_type or type(error).__name__,
        "errorMessage": str(error),
        "trace": traceback.format_exception(type(error), error, error.__traceback__),
    }


class LambdaContext:
    """What the Lambda Python runtime passes as ``context``."""

    def __init__(self, data: Dict[str, str], timeout_ms: int) -> None:
        self.aws_request_id = data["awsRequestId"]
        self.function_name = data["functionName"]
        self.function_version = data["functionVersion"]
        self.invoked_function_arn = data["invokedFunctionArn"]
        self.memory_limit_in_mb = data["memoryLimitInMB"]
        self.log_group_name = data["logGroupName"]
        self.log_stream_name = data["logStreamName"]
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, round((self._deadline - time.monotonic()) * 1000))


def load_handler(name: str) -> Callable[[Any, LambdaContext], Any]:
    module_name, _, function_name = name.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except (ImportError, SyntaxError) as error:
        raise _InitError(error, "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}") from error
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise _InitError(None, "Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return handler  # type: ignore[no-any-return]


class _InitError(Exception):
    def __init__(self, cause: Optional[BaseException], error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def end_of_invocation(marker: str, request_id: str) -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.write(f"{marker} {request_id}\n")
        stream.flush()


def main() -> None:
    handler_name, marker = sys.argv[1:3]
    try:
        handler = load_handler(handler_name)
    except _InitError as error:
        send({"type": "init-error", "error": error_payload(error, error.error_type)})
        sys.exit(1)
    except BaseException as error:  # noqa: B036 - an init failure of any kind is reported, as Lambda does
        send({"type": "init-error", "error": error_payload(error)})
        sys.exit(1)
    send({"type": "ready"})
    # The environment ends with the runner (the parent): the channel closes, the loop ends.
    for message in messages():
        if message.get("type") != "invoke":
            continue
        request_id = message["id"]
        context = LambdaContext(message["context"], message["timeoutMs"])
        fatal = False
        try:
            result = handler(message["event"], context)
            try:
                answer: Dict[str, Any] = {"type": "result", "id": request_id, "result": json.loads(json.dumps(result))}
            except (TypeError, ValueError) as error:
                answer = {"type": "error", "id": request_id, "error": error_payload(error, "Runtime.MarshalError"), "fatal": False}
        except (SystemExit, KeyboardInterrupt) as error:
            fatal = True
            answer = {"type": "error", "id": request_id, "error": error_payload(error, "Runtime.ExitError"), "fatal": True}
        except Exception as error:
            answer = {"type": "error", "id": request_id, "error": error_payload(error), "fatal": False}
        send(answer)
        end_of_invocation(marker, request_id)
        if fatal:
            sys.exit(1)


main()
