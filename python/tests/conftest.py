"""Fixtures of the Python shim's tests: the project's emulator (real boto3 over real HTTP, every
signature verified, every request authorized by the IAM policy engine) on a clock the tests move.

The emulator runs as a child process (``emulator_server.ts``); its clock stands still until a test
moves it. The shim's expiry decisions read the same time (the ``clock`` fixture), and so does
botocore's SigV4 signer (patched here, as the Node tests make ``Date`` follow the clock), so moving
the clock by an hour is one call, not an hour.
"""

import datetime
import json
import os
import socket
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import boto3
import botocore.auth
import pytest

import bedrock_hub_access

REPO = Path(__file__).resolve().parents[2]
HUB = "222222222222"
TARGET = "333333333333"
WORKLOAD = "111111111111"
MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"
MINUTE = 60.0


class Emulator:
    """The emulator child process, driven through one JSON line per command."""

    def __init__(self) -> None:
        ts_node = REPO / "node_modules" / ".bin" / "ts-node"
        self._process = subprocess.Popen(
            [str(ts_node), "--transpile-only", "--project", "python/tsconfig.json", "python/tests/emulator_server.ts"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lock = threading.Lock()
        info = json.loads(self._readline())
        self.endpoint: str = info["endpoint"]
        self.now: float = info["now"] / 1000
        self.hub_role_arn: str = info["hubRoleArn"]
        self.target_role_arn: str = info["targetRoleArn"]
        self.external_id: str = info["externalId"]

    def _readline(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the emulator exited (code {self._process.poll()})")
        return line

    def command(self, op: str, **args: Any) -> Any:
        with self._lock:
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps({"op": op, **args}) + "\n")
            self._process.stdin.flush()
            answer = json.loads(self._readline())
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def advance(self, seconds: float) -> None:
        self.now = self.command("advance", ms=round(seconds * 1000))["now"] / 1000

    def trail(self, event_name: Optional[str] = None) -> List[Dict[str, Any]]:
        events: List[Dict[str, Any]] = self.command("trail", eventName=event_name)
        return events

    def stop(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


class MovableClock:
    """The shim's clock: the emulator's time, moved through the emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator

    def __call__(self) -> float:
        return self._emulator.now

    def advance(self, seconds: float) -> None:
        self._emulator.advance(seconds)


class Trail:
    """CloudTrail of the emulator, counted from the start of a test."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._skip = {name: len(emulator.trail(name)) for name in ("AssumeRole", "Converse")}

    def events(self, name: str) -> List[Dict[str, Any]]:
        return self._emulator.trail(name)[self._skip.get(name, 0):]

    def assume_role(self) -> List[Dict[str, Any]]:
        return self.events("AssumeRole")

    def converse(self) -> List[Dict[str, Any]]:
        return self.events("Converse")


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    started = Emulator()
    try:
        yield started
        assert started.command("problems") == []
    finally:
        started.stop()


@pytest.fixture
def clock(emulator: Emulator) -> MovableClock:
    return MovableClock(emulator)


@pytest.fixture
def trail(emulator: Emulator) -> Trail:
    return Trail(emulator)


@pytest.fixture(autouse=True)
def signing_follows_the_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore signs with the emulator's time (it checks SigV4 skew against its own clock, as AWS does)."""
    if "emulator" not in request.fixturenames:
        return
    emulator: Emulator = request.getfixturevalue("emulator")

    def utc_now(remove_tzinfo: bool = True) -> datetime.datetime:
        now = datetime.datetime.fromtimestamp(emulator.now, datetime.timezone.utc)
        return now.replace(tzinfo=None) if remove_tzinfo else now

    if hasattr(botocore.auth, "get_current_datetime"):
        monkeypatch.setattr(botocore.auth, "get_current_datetime", utc_now)
    else:
        class _Datetime(datetime.datetime):
            @classmethod
            def utcnow(cls) -> datetime.datetime:  # type: ignore[override]
                return utc_now()

        class _DatetimeModule:
            datetime = _Datetime

        monkeypatch.setattr(botocore.auth, "datetime", _DatetimeModule)


@pytest.fixture(autouse=True)
def fresh_shim() -> Iterator[None]:
    bedrock_hub_access.reset()
    yield
    bedrock_hub_access.reset()


@pytest.fixture
def lambda_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    """The environment of a hub-enabled Python function, as Lambda and the construct set it, pointing at the emulator."""
    workload = emulator.command("workload")
    for name in list(os.environ):
        if name.startswith(("AWS_", "BEDROCK_")):
            monkeypatch.delenv(name)
    env = {
        "AWS_ACCESS_KEY_ID": workload["accessKeyId"],
        "AWS_SECRET_ACCESS_KEY": workload["secretAccessKey"],
        "AWS_SESSION_TOKEN": workload["sessionToken"],
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "python-function",
        "AWS_ENDPOINT_URL": emulator.endpoint,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "BEDROCK_ASSUME_ROLE_ARN": emulator.hub_role_arn,
        "BEDROCK_ASSUME_ROLE_EXTERNAL_ID": emulator.external_id,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def converse(client: Any) -> Any:
    """One Converse call, as a handler makes it."""
    return client.converse(modelId=MODEL_ID, messages=[{"role": "user", "content": [{"text": "Hello from Python"}]}])


def refused_endpoint() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def plain_session(env: Dict[str, str]) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
        region_name="us-east-1",
    )
