"""The fake provider's WSGI application: Werkzeug routing, Bearer auth, JSON in and out.

Paiwise lives under ``/checkout/…``, Swedbank Pay under ``/psp/paymentorders…``; test-only endpoints (the
payer, a health check) under ``/_fake/…`` need no token. Every request needs ``Authorization: Bearer
<token>``: any non-empty token, or exactly ``token`` when the app was given one. Werkzeug is imported here,
so only code that builds the app pays for it.
"""
from __future__ import annotations

import hmac
import html
from typing import Any, Iterable

import orjson
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .callbacks import CallbackSender
from .paiwise import PaiwiseFake
from .replies import Call, FakeError, PaiwiseError, Problem, Reply, input_error, not_found, request_version
from .swedbankpay import SwedbankPayFake, valid_guid
from .v3 import SEGMENTS
from .values import Source

PROVIDERS = ("paiwise", "swedbankpay")
PAIWISE_ACTIONS = ("create", "retrieve", "capture", "refund", "update", "delete", "create-customer",
                   "retrieve-customer", "delete-customer")
ORDER = "/psp/paymentorders/<guid>"


def _rules(providers: Iterable[str]) -> list[Rule]:
    rules = [Rule("/_fake/health", endpoint="health", methods=["GET"])]
    if "paiwise" in providers:
        rules += [Rule(f"/checkout/{a}", endpoint=f"pw:{a}", methods=["POST"]) for a in PAIWISE_ACTIONS]
        rules += [Rule("/checkout/checkout", endpoint="pw-page", methods=["GET"]),
                  Rule("/_fake/paiwise/checkout/<checkout_id>/pay", endpoint="pw-pay", methods=["POST"])]
    if "swedbankpay" in providers:
        rules += [Rule("/psp/paymentorders", endpoint="spp-create", methods=["POST"]),
                  Rule(ORDER, endpoint="spp-get", methods=["GET"]),
                  Rule(ORDER, endpoint="spp-patch", methods=["PATCH"]),
                  Rule(f"{ORDER}/paid", endpoint="spp-paid", methods=["GET"]),
                  Rule(f"{ORDER}/captures", endpoint="spp-capture", methods=["POST"]),
                  Rule(f"{ORDER}/cancellations", endpoint="spp-cancel", methods=["POST"]),
                  Rule(f"{ORDER}/reversals", endpoint="spp-reversal", methods=["POST"]),
                  Rule("/_fake/swedbankpay/paymentorders/<guid>/pay", endpoint="spp-pay", methods=["POST"]),
                  Rule("/_fake/swedbankpay/callbacks", endpoint="spp-callbacks", methods=["GET"]),
                  Rule(f"{ORDER}/checkout", endpoint="spp-page", methods=["GET"]),
                  # v3.1 sub-resources (paid has its own rule above)
                  Rule(f"{ORDER}/<any({', '.join(sorted(set(SEGMENTS.values()) - {'paid'}))}):segment>",
                       endpoint="spp-sub", methods=["GET"])]
    return rules


class FakeApp:
    """``FakeApp(providers=("paiwise", "swedbankpay"), token=None, seed=None)``: a WSGI callable. ``seed`` makes
    the ids and card data repeatable. Swedbank Pay answers in v3.1 when the request's Content-Type (else
    Accept) says ``version=3.x``, in v2 otherwise; callbacks go to loopback ``callbackUrl``s only, on the
    documented retry schedule times ``callback_scale`` (:mod:`checkout_contracts.fake.callbacks`); ``close()`` stops them."""

    def __init__(self, providers: Iterable[str] = PROVIDERS, token: str | None = None, seed: int | None = None,
                 *, callback_scale: float = 1.0) -> None:
        self.providers = tuple(providers)
        unknown = set(self.providers) - set(PROVIDERS)
        if unknown:
            raise ValueError(f"unknown provider(s): {', '.join(sorted(unknown))}")
        self._token = token
        source = Source(seed)
        self.paiwise = PaiwiseFake(source)
        self.callbacks = CallbackSender(scale=callback_scale)
        self.swedbankpay = SwedbankPayFake(source, self.callbacks)
        self.url_map = Map(_rules(self.providers), strict_slashes=False)

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return self.respond(request)(environ, start_response)

    def close(self) -> None:
        """Stop sending callbacks (pending retries are dropped)."""
        self.callbacks.close()

    # ---- dispatch ------------------------------------------------------------------------------------
    def respond(self, request: Request) -> Response:
        spp = request.path.startswith("/psp/") or request.path.startswith("/_fake/swedbankpay")
        version = request_version(request.headers.get("Content-Type"), request.headers.get("Accept")) if spp else None
        response = self._respond(request, spp, version)
        if version == "3.1" and response.mimetype == "application/problem+json":  # a v3.1 problem says so
            response.headers["Content-Type"] = "application/problem+json; charset=utf-8; version=3.1"
            response.headers["api-supported-versions"] = "3.1"
        return response

    def _respond(self, request: Request, spp: bool, version: str | None) -> Response:
        try:
            try:
                endpoint, params = self.url_map.bind_to_environ(request.environ).match()
            except NotFound:
                raise (not_found("No such resource.") if spp else PaiwiseError(404, "Not found")) from None
            except MethodNotAllowed:
                raise (Problem(405, "methodnotallowed", "Method not allowed", f"{request.method} is not allowed here.")
                       if spp else PaiwiseError(405, f"{request.method} is not allowed here")) from None
            if endpoint == "health":
                return _html_or_json(Reply(200, {"ok": True, "providers": list(self.providers)}, "application/json"))
            if endpoint == "spp-callbacks":
                wanted = request.args.get("paymentOrder")
                return _html_or_json(Reply(200, {"callbacks": self.callbacks.listing(wanted)}, "application/json"))
            if not endpoint.startswith(("pw-pay", "spp-pay", "pw-page", "spp-page")):
                self._authorize(request, spp)
            return _html_or_json(self._dispatch(endpoint, params, request, version or "2.0"))
        except FakeError as err:
            return _html_or_json(err.reply())
        except HTTPException as exc:  # e.g. a request body over the limit
            return _html_or_json((Problem(exc.code or 400, "inputerror", "Bad request", exc.description or "")
                                  if spp else PaiwiseError(exc.code or 400, exc.description or "Bad request")).reply())
        except Exception as exc:  # a bug in the fake: answer in the provider's error shape, keep serving
            detail = f"The fake provider failed: {type(exc).__name__}."
            return _html_or_json((Problem(500, "systemerror", "Internal server error", detail) if spp
                                  else PaiwiseError(500, detail)).reply())

    def _authorize(self, request: Request, spp: bool) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        ok = scheme.lower() == "bearer" and token.strip() != ""
        if ok and self._token is not None:
            ok = hmac.compare_digest(token.strip().encode(), self._token.encode())
        if not ok:
            if spp:
                raise Problem(401, "unauthorized", "Unauthorized",
                              "The request lacks a valid Bearer token in the Authorization header.")
            raise PaiwiseError(401, "Your request was made with invalid credentials.")

    def _dispatch(self, endpoint: str, params: dict[str, str], request: Request, version: str) -> Reply:
        base = request.host_url.rstrip("/")
        if endpoint == "pw-page":
            from ..redact import scrub
            cid = html.escape(scrub(request.args.get("cid", "")))
            return Reply(200, f"<!doctype html><title>Fake Paiwise checkout</title><p>Checkout {cid}: the payer pays "
                              f"with POST /_fake/paiwise/checkout/{cid}/pay.</p>", "text/html; charset=utf-8")
        if endpoint == "spp-page":
            page = self.swedbankpay.checkout_page(params["guid"]) if valid_guid(params["guid"]) else None
            if page is None:
                raise not_found("No such payment order.")
            return Reply(200, page, "text/html; charset=utf-8")
        spp = endpoint.startswith("spp-")
        body = _json_body(request, spp, required=endpoint not in ("spp-get", "spp-paid", "spp-sub", "pw-pay", "spp-pay"))
        call = Call(body, base, request.headers.get("User-Agent"), dict(request.args), version)
        if endpoint.startswith("pw:"):
            return self.paiwise.handle(endpoint[3:], call)
        if endpoint == "pw-pay":
            return self.paiwise.pay(params["checkout_id"], call)
        if endpoint == "spp-create":
            return self.swedbankpay.create(call)
        guid = params["guid"]
        if not valid_guid(guid):
            raise not_found("No payment order with this id.")
        if endpoint == "spp-sub":
            return self.swedbankpay.get_sub(guid, params["segment"], call)
        handler = {"spp-get": self.swedbankpay.get, "spp-patch": self.swedbankpay.patch,
                   "spp-paid": self.swedbankpay.get_paid, "spp-capture": self.swedbankpay.capture,
                   "spp-cancel": self.swedbankpay.cancel, "spp-reversal": self.swedbankpay.reversal,
                   "spp-pay": self.swedbankpay.pay}[endpoint]
        return handler(guid, call)


MAX_BODY = 1 << 20


def _json_body(request: Request, spp: bool, *, required: bool) -> Any:
    too_large = (input_error(("body", "The request body is too large.")) if spp
                 else PaiwiseError(400, "The request body is too large"))
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise too_large
    # however the body is framed (Content-Length or chunked), never more than MAX_BODY is read
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise too_large
    if not raw.strip():
        if required:
            raise (input_error(("body", "A JSON request body is required.")) if spp
                   else PaiwiseError(400, "A JSON request body is required"))
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        msg = f"The request body is not valid JSON: {str(exc).split(':')[0]}"
        raise (input_error(("body", msg)) if spp else PaiwiseError(400, msg)) from None


def _html_or_json(reply: Reply) -> Response:
    data = reply.body.encode() if isinstance(reply.body, str) else orjson.dumps(reply.body)
    response = Response(data, status=reply.status, content_type=reply.content_type)
    for k, v in reply.extra_headers.items():
        response.headers[k] = v
    return response
