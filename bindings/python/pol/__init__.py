# SPDX-License-Identifier: Apache-2.0
"""pol, the policy engine for Kubernetes pods, from Python: compile a policy once, then evaluate
manifests, answer AdmissionReviews and apply mutations with it.

A thin layer over the C API (libpol.so.0, pol/pol.h) through ctypes; nothing to compile. The
library is found by $POL_LIBRARY (a path), then next to this package as `cmake --install` lays
them out, then by the system's loader (the Debian package libpol0). See docs/embedding.md.

    import pol
    policy = pol.compile_profile(["team.pol"], profile="restricted:latest")
    report = policy.evaluate(open("pod.yaml", "rb").read(), source="pod.yaml")
    for result in report.results:
        print(result.name, result.allowed, result.message)
"""
import ctypes
import json
import os
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

__all__ = ["PolError", "CompileError", "BadRequest", "Policy", "Report", "Result", "Review", "MutatedDocument",
           "compile", "compile_string", "compile_profile", "version", "jit_available"]

# pol_status
_OK, _INVALID_ARGUMENT, _COMPILE_ERROR, _BAD_REQUEST, _INTERNAL_ERROR = range(5)
_ENGINES = {"interpreter": 0, "jit": 1}
_REVIEW_MODES = {"validate": 0, "mutate": 1, "both": 2}
_FORMATS = {"json": 0, "yaml": 1}


class PolError(Exception):
    """A call that failed; `status` is the C API's pol_status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class CompileError(PolError):
    """The policy does not compile; the message holds its rendered diagnostics."""


class BadRequest(PolError):
    """Not an admission.k8s.io/v1 AdmissionReview with a request uid."""


def _find_library() -> str:
    if os.environ.get("POL_LIBRARY"):
        return os.environ["POL_LIBRARY"]
    try:  # installed: _installed.py says where the library lies relative to this package
        from ._installed import LIBRARY_DIR
        candidate = os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBRARY_DIR, "libpol.so.0")
        if os.path.exists(candidate):
            return candidate
    except ImportError:
        pass
    return "libpol.so.0"


class _Options(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("profile", ctypes.c_char_p), ("params", ctypes.c_char_p),
                ("exceptions", ctypes.POINTER(ctypes.c_char_p)), ("exception_count", ctypes.c_size_t),
                ("today", ctypes.c_char_p), ("on_error_allow", ctypes.c_int), ("strict", ctypes.c_int),
                ("engine", ctypes.c_int), ("operation", ctypes.c_char_p), ("user", ctypes.c_char_p),
                ("groups", ctypes.POINTER(ctypes.c_char_p)), ("group_count", ctypes.c_size_t),
                ("namespace_name", ctypes.c_char_p)]


def _load():
    lib = ctypes.CDLL(_find_library())
    handle, text, size = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    out_handle, out_text = ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)
    signatures = {
        "pol_version": (text, []),
        "pol_jit_available": (ctypes.c_int, []),
        "pol_free": (None, [ctypes.c_void_p]),
        "pol_options_init": (None, [ctypes.POINTER(_Options)]),
        "pol_engine_new": (ctypes.c_int, [ctypes.POINTER(_Options), out_handle, out_text]),
        "pol_engine_free": (None, [handle]),
        "pol_compile_file": (ctypes.c_int, [handle, text, out_handle, out_text]),
        "pol_compile_string": (ctypes.c_int, [handle, text, text, size, out_handle, out_text]),
        "pol_compile_profile": (ctypes.c_int, [handle, ctypes.POINTER(text), size, out_handle, out_text]),
        "pol_policy_warnings": (text, [handle]),
        "pol_policy_free": (None, [handle]),
        "pol_evaluate": (ctypes.c_int, [handle, text, size, text, ctypes.c_int, out_handle, out_text]),
        "pol_review": (ctypes.c_int, [handle, text, size, ctypes.c_int, out_handle, out_text]),
        "pol_mutate": (ctypes.c_int, [handle, text, size, text, ctypes.c_int, out_handle, out_text]),
        "pol_result_free": (None, [handle]),
        "pol_result_json": (text, [handle]),
        "pol_result_exit_code": (ctypes.c_int, [handle]),
        "pol_result_errors": (text, [handle]),
        "pol_result_count": (size, [handle]),
        "pol_result_name": (text, [handle, size]),
        "pol_result_allowed": (ctypes.c_int, [handle, size]),
        "pol_result_message": (text, [handle, size]),
        "pol_result_document": (text, [handle, size]),
        "pol_result_patch": (text, [handle, size]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


_lib = _load()


def _check(status: int, message: ctypes.c_void_p) -> None:
    if status == _OK:
        return
    text = "pol: call failed"
    if message.value:
        text = ctypes.string_at(message.value).decode()
        _lib.pol_free(message)
    kind = {_COMPILE_ERROR: CompileError, _BAD_REQUEST: BadRequest}.get(status, PolError)
    raise kind(status, text)


def _bytes(text) -> bytes:
    return text if isinstance(text, bytes) else str(text).encode()


def _array(items: Sequence[str]):
    return (ctypes.c_char_p * len(items))(*[_bytes(i) for i in items]) if items else None


def version() -> str:
    return _lib.pol_version().decode()


def jit_available() -> bool:
    return _lib.pol_jit_available() != 0


@dataclass
class Result:
    """One object's decision: `report` is its entry of the JSON report (docs/inputs.md#output-formats),
    `message` why it is not allowed as `pol check` prints it (error lines, then one line per policy)."""
    name: str
    allowed: bool
    message: str
    report: dict


@dataclass
class Report:
    """The evaluation of one buffer: `json` is `pol check -o json`'s report, decoded."""
    json: dict
    results: List[Result]
    exit_code: int  # pol check's: 0 allowed, 1 denied, 2 errors
    errors: str     # every error rendered with its position, as pol check writes them to stderr


@dataclass
class Review:
    """The answer to an AdmissionReview: `response` goes back to the API server with HTTP 200."""
    response: dict
    allowed: bool
    message: str


@dataclass
class MutatedDocument:
    text: str   # the document after the mutations (JSON or YAML)
    patch: list  # RFC 6902, from the document given to `text`


class _Result:
    """A pol_result handle for the length of a with-block."""

    def __init__(self, status, handle, message):
        _check(status, message)
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *_):
        _lib.pol_result_free(self.handle)

    def text(self, function, *args) -> str:
        return function(self.handle, *args).decode()


class Policy:
    """A compiled policy: immutable, safe to use from many threads at once."""

    def __init__(self, handle: ctypes.c_void_p):
        self._handle = handle

    def __del__(self):
        self.close()

    def close(self) -> None:
        if getattr(self, "_handle", None) and _lib is not None:
            _lib.pol_policy_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    @property
    def warnings(self) -> str:
        return _lib.pol_policy_warnings(self._handle).decode()

    def evaluate(self, document, source: str = "<input>", mutate: bool = False) -> Report:
        """Judges every object of a YAML or JSON buffer. Unreadable documents are errors in the
        report (exit_code 2), not exceptions."""
        data = _bytes(document)
        handle, message = ctypes.c_void_p(), ctypes.c_void_p()
        status = _lib.pol_evaluate(self._handle, data, len(data), _bytes(source), int(mutate), ctypes.byref(handle),
                                   ctypes.byref(message))
        with _Result(status, handle, message) as r:
            report = json.loads(r.text(_lib.pol_result_json))
            results = [Result(r.text(_lib.pol_result_name, i), _lib.pol_result_allowed(r.handle, i) != 0,
                              r.text(_lib.pol_result_message, i), report["results"][i])
                       for i in range(_lib.pol_result_count(r.handle))]
            return Report(report, results, _lib.pol_result_exit_code(r.handle), r.text(_lib.pol_result_errors))

    def review(self, admission_review, mode: str = "validate") -> Review:
        """Answers an AdmissionReview (JSON) as `pol serve` does; raises BadRequest when it is not one."""
        data = _bytes(admission_review)
        handle, message = ctypes.c_void_p(), ctypes.c_void_p()
        status = _lib.pol_review(self._handle, data, len(data), _REVIEW_MODES[mode], ctypes.byref(handle),
                                 ctypes.byref(message))
        with _Result(status, handle, message) as r:
            return Review(json.loads(r.text(_lib.pol_result_json)), _lib.pol_result_allowed(r.handle, 0) != 0,
                          r.text(_lib.pol_result_message, 0))

    def mutate(self, document, source: str = "<input>", format: str = "json") -> List[MutatedDocument]:
        """The documents after the policy's mutations; raises PolError with the rendered errors when
        a document cannot be read or mutated."""
        data = _bytes(document)
        handle, message = ctypes.c_void_p(), ctypes.c_void_p()
        status = _lib.pol_mutate(self._handle, data, len(data), _bytes(source), _FORMATS[format], ctypes.byref(handle),
                                 ctypes.byref(message))
        with _Result(status, handle, message) as r:
            errors = r.text(_lib.pol_result_errors)
            if errors:
                raise PolError(_OK, errors)
            return [MutatedDocument(r.text(_lib.pol_result_document, i), json.loads(r.text(_lib.pol_result_patch, i)))
                    for i in range(_lib.pol_result_count(r.handle))]


def _compile(call, profile: Optional[str] = None, params=None, exceptions: Sequence[str] = (), today: Optional[str] = None,
             on_error_allow: bool = False, strict: bool = False, engine: str = "interpreter",
             operation: Optional[str] = None, user: Optional[str] = None, groups: Sequence[str] = (),
             namespace: Optional[str] = None) -> Policy:
    options = _Options()
    _lib.pol_options_init(ctypes.byref(options))
    keep = [_array(exceptions), _array(groups)]  # alive until the engine has copied them
    options.profile = _bytes(profile) if profile else None
    options.params = _bytes(params) if params else None
    options.exceptions, options.exception_count = keep[0], len(exceptions)
    options.today = _bytes(today) if today else None
    options.on_error_allow, options.strict, options.engine = int(on_error_allow), int(strict), _ENGINES[engine]
    options.operation = _bytes(operation) if operation else None
    options.user = _bytes(user) if user else None
    options.groups, options.group_count = keep[1], len(groups)
    options.namespace_name = _bytes(namespace) if namespace else None
    engine_handle, message = ctypes.c_void_p(), ctypes.c_void_p()
    _check(_lib.pol_engine_new(ctypes.byref(options), ctypes.byref(engine_handle), ctypes.byref(message)), message)
    try:
        policy = ctypes.c_void_p()
        _check(call(engine_handle, ctypes.byref(policy), ctypes.byref(message)), message)
        return Policy(policy)
    finally:
        _lib.pol_engine_free(engine_handle)


def compile(path: str, **options) -> Policy:
    """Compiles one policy file. Options: profile, params (YAML or JSON text), exceptions (files),
    today, on_error_allow, strict, engine ("interpreter" or "jit"), operation, user, groups, namespace."""
    return _compile(lambda e, p, m: _lib.pol_compile_file(e, _bytes(path), p, m), **options)


def compile_string(name: str, source: str, **options) -> Policy:
    """Compiles a policy's text; `name` stands for it in diagnostics."""
    text = _bytes(source)
    return _compile(lambda e, p, m: _lib.pol_compile_string(e, _bytes(name), text, len(text), p, m), **options)


def compile_profile(paths: Sequence[str] = (), **options) -> Policy:
    """The built-in Pod Security Standards at `profile`, followed by the given policy files."""
    array = _array(paths)
    return _compile(lambda e, p, m: _lib.pol_compile_profile(e, array, len(paths), p, m), **options)
