"""localgw's Python runtime interface client: runs a Lambda Python handler the way AWS's
awslambdaric does, speaking the Lambda Runtime API (version 2018-06-01) at
AWS_LAMBDA_RUNTIME_API.

Standard library only (no pip): imports the handler module once per process (_HANDLER is
MODULE.FUNCTION, MODULE from LAMBDA_TASK_ROOT, dots for packages), then loops: GET the next
invocation, call FUNCTION(event, context), POST its result or its error. Errors carry
awslambdaric's errorType and errorMessage (Runtime.ImportModuleError, Runtime.HandlerNotFound,
Runtime.UserCodeSyntaxError, Runtime.MarshalError, or the exception's class) and are written to
the log as awslambdaric writes them ("[ERROR] Type: message" and the traceback).
"""

import collections
import decimal
import json
import logging
import os
import socket
import sys
import threading
import time
import traceback

# Lambda puts the task root first on sys.path; this file's own folder must not be there at all.
_TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]
sys.path.insert(0, _TASK_ROOT)

_request_id = None


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


class RuntimeClient(object):
    """HTTP/1.1 on one kept-alive connection: the Runtime API is a local server, and
    http.client would cost the cold start its imports and each invocation its parsing.

    localgw's prefetch (the Localgw-Runtime-Prefetch header; see runtime-api.ts): one GET /next
    more than a standard client's is kept waiting, so the next invocation can arrive while this
    one runs and the loop goes on without a round trip. Answers come in the order of the
    requests (`expected`). An invocation received that way is this process's to run, so that it
    does not wait behind a slow one: a watcher thread that sees the same handler running for
    RETURN_AFTER_S hands back what arrived meanwhile (POST …/invocation/{id}/localgw-return),
    and the gateway runs it elsewhere. A handler holding the GIL in C code the whole time keeps
    it (the only case where one waits)."""

    RETURN_AFTER_S = 0.005
    # GETs /next kept waiting beyond the one for the next invocation: MAX_PREFETCH in runtime-api.ts.
    PREFETCH = 8

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = address
        self.sock = socket.create_connection((host, int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.next_request = ("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\nLocalgw-Runtime-Prefetch: 1\r\n\r\n" % address).encode("ascii")
        # What each request sent and not yet answered was: None for a GET /next, else the path posted to.
        self.expected = collections.deque()
        # Invocations the watcher read ahead, (headers, body), oldest first.
        self.ready = collections.deque()
        # Held around every use of the socket; the watcher only tries it.
        self.lock = threading.Lock()
        # A number per invocation while its handler runs, else None (read by the watcher).
        self.running = None

    def _post(self, path, body, headers=()):
        head = "POST /2018-06-01/runtime/%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (path, self.address, len(body))
        for name, value in headers:
            head += "%s: %s\r\n" % (name, value)
        return head.encode("latin-1") + b"\r\n" + body

    def _send(self, data, *expected):
        self.sock.sendall(data)
        self.expected.extend(expected)

    def _read_response(self):
        buffer = self.buffer
        end = buffer.find(b"\r\n\r\n")
        while end < 0:
            buffer += self._recv()
            end = buffer.find(b"\r\n\r\n")
        status, headers = _parse_head(buffer, end)
        start = end + 4
        stop = start + int(headers.get("content-length", "0"))
        if len(buffer) < stop:
            # A large body: its chunks are joined once, not copied with each read.
            chunks = [buffer]
            have = len(buffer)
            while have < stop:
                chunk = self._recv()
                chunks.append(chunk)
                have += len(chunk)
            buffer = b"".join(chunks)
        self.buffer = buffer[stop:]
        return status, headers, buffer[start:stop]

    def _recv(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            # The gateway is gone (stopped, or replaced this environment): so is this process.
            raise SystemExit(0)
        return chunk

    def _next_invocation(self):
        """The next invocation: read ahead, or the next answer to a GET /next, checking the 202s before it."""
        with self.lock:
            if self.ready:
                return self.ready.popleft()
            while True:
                status, headers, body = self._read_response()
                if self._take(self.expected.popleft(), status, headers, body):
                    return headers, body

    def _take(self, path, status, headers, body):
        """One answer, in order: True for an invocation, after checking it is one."""
        if path is None:
            if status != 200:
                raise SystemExit("localgw runtime: GET /runtime/invocation/next answered %d: %s" % (status, body[:500].decode("utf-8", "replace")))
            return True
        if status != 202:
            # awslambdaric's LambdaRuntimeClientError: said, and the loop goes on (a 413 fails only that invocation).
            sys.stderr.write("Request to Lambda Runtime '%s' endpoint failed. Reason: '%d'. Response body: '%s'\n" % (path, status, body.decode("utf-8", "replace")))
        return False

    def wait_next_invocation(self):
        threading.Thread(target=self._watch, name="localgw-prefetch", daemon=True).start()
        with self.lock:
            # The first GET, and the one kept waiting ahead.
            self._send(self.next_request * (1 + self.PREFETCH), *([None] * (1 + self.PREFETCH)))
        return self._next_invocation()

    def post_result_and_wait_next(self, invoke_id, payload, content_type):
        return self._post_and_wait_next("invocation/%s/response" % invoke_id, payload, (("Content-Type", content_type),))

    def post_error_and_wait_next(self, invoke_id, error):
        body = to_json(error).encode("utf-8")
        return self._post_and_wait_next("invocation/%s/error" % invoke_id, body, (("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", "Unhandled")))

    def _post_and_wait_next(self, path, body, headers):
        # The answer and a GET to keep one waiting go out together; the Runtime API reads them in order.
        with self.lock:
            self._send(self._post(path, body, headers) + self.next_request, path, None)
        return self._next_invocation()

    def post_init_error(self, error):
        body = to_json(error).encode("utf-8")
        with self.lock:
            self._send(self._post("init/error", body, (("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", error["errorType"]))), "init/error")
            status, headers, body = self._read_response()
            self._take(self.expected.popleft(), status, headers, body)

    def _watch(self):
        seen = None
        while True:
            time.sleep(self.RETURN_AFTER_S)
            running = self.running
            if running is None or running != seen:
                seen = running
                continue
            # The same handler since the last look: what has arrived behind it goes back.
            if self.lock.acquire(False):
                try:
                    self._return_ready()
                except OSError:
                    return
                finally:
                    self.lock.release()

    def _return_ready(self):
        try:
            while True:
                chunk = self.sock.recv(262144, socket.MSG_DONTWAIT)
                if not chunk:
                    return
                self.buffer += chunk
        except BlockingIOError:
            pass
        while self.expected:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            status, headers = _parse_head(self.buffer, end)
            stop = end + 4 + int(headers.get("content-length", "0"))
            if len(self.buffer) < stop:
                break
            body = self.buffer[end + 4:stop]
            self.buffer = self.buffer[stop:]
            if self._take(self.expected.popleft(), status, headers, body):
                self.ready.append((headers, body))
        out = b""
        expected = []
        while self.ready:
            headers, _ = self.ready.popleft()
            # Each takes the place of the GET that brought it, to keep one waiting.
            path = "invocation/%s/localgw-return" % headers.get("lambda-runtime-aws-request-id")
            out += self._post(path, b"") + self.next_request
            expected += [path, None]
        if out:
            self._send(out, *expected)


def _parse_head(buffer, end):
    lines = buffer[:end].decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


class _Encoder(json.JSONEncoder):
    def default(self, obj):
        # simplejson (awslambdaric's) writes Decimals as numbers; the standard library cannot
        # write one raw, so an integral Decimal becomes an int and any other a float.
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        return super().default(obj)


# awslambdaric writes non-ASCII characters as they are in the python3.12 runtime and later, escaped before.
_RUNTIME = os.environ.get("AWS_EXECUTION_ENV", "")[len("AWS_Lambda_python3."):]
_ENCODER = _Encoder(ensure_ascii=not (os.environ.get("AWS_EXECUTION_ENV", "").startswith("AWS_Lambda_python3.") and _RUNTIME.isdigit() and int(_RUNTIME) >= 12))


def to_json(obj):
    return _ENCODER.encode(obj)


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)


def unmarshal_request(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __init__(self, values):
        self.cognito_identity_id = values.get("cognitoIdentityId")
        self.cognito_identity_pool_id = values.get("cognitoIdentityPoolId")


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def _obj_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


_FUNCTION_ENV = tuple(
    os.environ.get(name)
    for name in ("AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION")
)


class LambdaContext(object):
    """The `context` argument, with awslambdaric's attributes and methods."""

    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms, invoked_function_arn=None, tenant_id=None):
        self.aws_request_id = invoke_id
        # Read once per process (awslambdaric reads them each time; they never change, and
        # five environment lookups were a good part of an invocation's own time).
        self.log_group_name, self.log_stream_name, self.function_name, self.memory_limit_in_mb, self.function_version = _FUNCTION_ENV
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)
        self.identity = CognitoIdentity(cognito_identity or {})
        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},memory_limit_in_mb={},"
            "function_version={},invoked_function_arn={},client_context={},identity={},tenant_id={}])"
        ).format(
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name, self.memory_limit_in_mb,
            self.function_version, self.invoked_function_arn, self.client_context, self.identity, self.tenant_id,
        )


def _parse_json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, str(e)), None)


def _user_frames(tb):
    """The traceback without this file's frames and importlib's, as traceback.format_list gives it."""
    frames = [f for f in traceback.extract_tb(tb) if f.filename != __file__ and not f.filename.startswith("<frozen importlib")]
    return traceback.format_list(frames)


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def log_error(error_result):
    """As awslambdaric's text format, with newlines where CloudWatch needs carriage returns."""
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            lines.extend(element.rstrip("\n").splitlines())
    sys.stdout.write("\n".join(lines) + "\n")


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT, "Cannot use built-in module {} as a handler module".format(modname))
        import importlib

        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        # awslambdaric sends no trace here; the frames say which import of the user's failed.
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, str(e)), _user_frames(sys.exc_info()[2]))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, (e.text or "").strip())]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname), None)


class _Unbuffered(object):
    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        record.tenant_id = None
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def setup_logging():
    """The root logger as on Lambda: a handler that writes "[LEVEL]\\tTIME\\tREQUEST_ID\\tmessage"."""
    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)


def handle(client, request_handler, headers, body):
    """One invocation; returns the next one's headers and body."""
    global _request_id
    invoke_id = headers.get("lambda-runtime-aws-request-id")
    _request_id = invoke_id
    trace_id = headers.get("lambda-runtime-trace-id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    elif "_X_AMZN_TRACE_ID" in os.environ:
        del os.environ["_X_AMZN_TRACE_ID"]
    error_result = None
    try:
        context = LambdaContext(
            invoke_id,
            _parse_json_header(headers.get("lambda-runtime-client-context"), "Client Context"),
            _parse_json_header(headers.get("lambda-runtime-cognito-identity"), "Cognito Identity"),
            int(headers.get("lambda-runtime-deadline-ms", "0")),
            headers.get("lambda-runtime-invoked-function-arn"),
        )
        event = unmarshal_request(body, headers.get("content-type", "application/json"))
        client.running = invoke_id
        try:
            result = request_handler(event, context)
        finally:
            client.running = None
        payload, content_type = marshal_response(result)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        etype, value, tb = sys.exc_info()
        error_result = make_error(str(value), etype.__name__, _user_frames(tb), invoke_id)
    if error_result is not None:
        log_error(error_result)
        return client.post_error_and_wait_next(invoke_id, error_result)
    return client.post_result_and_wait_next(invoke_id, payload, content_type)


def main():
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()
    try:
        request_handler = get_handler(os.environ["_HANDLER"])
    except Exception as e:
        if isinstance(e, FaultException):
            error_result = make_error(e.msg, e.exception_type, e.trace)
        else:
            etype, value, tb = sys.exc_info()
            error_result = make_error(str(value), etype.__name__, _user_frames(tb))
        log_error(error_result)
        client.post_init_error(error_result)
        sys.exit(1)
    headers, body = client.wait_next_invocation()
    while True:
        headers, body = handle(client, request_handler, headers, body)


if __name__ == "__main__":
    main()
