"""Swedbank Pay Checkout v3.1 payloads, valid by construction, for every ``swedbankpay/checkout-v3/*`` schema.

One builder serves all of them: it walks the schema file itself (``$ref``, ``allOf``, ``if``/``then``/``else``)
and draws every choice under the JSON path label that :mod:`.walk` gives the same place — so the edge targets
(every enum value, every optional field present and absent, amounts at their bounds) steer it like the v2
builders. Values come from the schema's own ``examples`` (the vendor's values) or, for ids, from the id
pattern under one drawn order GUID. A second pass makes what the rules check true: the remaining amounts,
the operations and the financial transactions follow one money plan per status (:func:`plan_money`), paid
amounts add up, bin is the first six digits of maskedPan, history is in time order.

Lifecycles (:func:`lifecycle`): Initialized → Paid → capture (in parts) / cancel / reversal → Reversed, plus
abort and fail; each step is the same order. Pure: no Hypothesis.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from .. import registry
from . import values as V
from .draw import MAX, MIN, Draw, as_draw

SPP3 = "swedbankpay/checkout-v3/"
EXAMPLE_GUID = "ca59fa8a-3423-40e5-0f77-08d9d133750b"   # the order GUID of the schema files' examples
ORDERS = tuple(SPP3 + n for n in ("payment-order", "capture-response", "cancel-response", "reversal-response"))
STATUSES = ("Initialized", "Paid", "Failed", "Cancelled", "Reversed", "Aborted")
STATUS_OF = {SPP3 + "capture-response": ("Paid",), SPP3 + "cancel-response": ("Cancelled", "Paid"),
             SPP3 + "reversal-response": ("Reversed", "Paid")}
LINK_FIELDS = ("id", "paymentTokenGenerated")
_GUID_RE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
INT_MAX = 2**31 - 1

#: operations by rel: (method, href suffix under the order or a page, contentType)
_OPS = {"update-order": ("PATCH", "", "application/json"), "abort": ("PATCH", "", "application/json"),
        "abort-paymentattempt": ("PATCH", "", "application/json"), "set-instrument": ("PATCH", "", "application/json"),
        "capture": ("POST", "/captures", "application/json"), "cancel": ("POST", "/cancellations", "application/json"),
        "reversal": ("POST", "/reversals", "application/json"), "redirect-checkout": ("GET", "#redirect", "text/html"),
        "view-checkout": ("GET", "#view", "application/javascript"),
        "view-paymentsession": ("GET", "#session", "application/json"), "verify-trustly": ("PATCH", "", "application/json"),
        "delete-paymenttokens": ("PATCH", "#tokens", "application/json")}
#: the statuses that may offer a rel (Cancelled and Reversed offer nothing; rels the docs do not place: any other)
REL_STATUSES = {**{r: ("Paid",) for r in ("capture", "cancel", "reversal")},
                **{r: ("Initialized",) for r in ("update-order", "abort", "abort-paymentattempt", "set-instrument",
                                                 "view-paymentsession", "verify-trustly")},
                "redirect-checkout": ("Initialized", "Paid", "Aborted"), "view-checkout": ("Initialized", "Paid", "Aborted")}
INITIALIZED_RELS = ("update-order", "abort", "abort-paymentattempt", "set-instrument", "redirect-checkout", "view-checkout",
                    "view-paymentsession", "verify-trustly")


# ---------------------------------------------------------------- reading the schema

@dataclass
class Eff:
    """The constraints that apply at one place, merged from the schema parts that apply there."""
    types: list
    props: dict            # name → list of (schema, base)
    required: list
    forbidden: set         # properties that must be absent ({"not": {}} / not-required)
    conds: list            # (if, then, else, base)
    enum: list | None
    not_enum: set
    const: Any
    has_const: bool
    items: list
    examples: list
    pattern: str | None
    min_len: int | None
    max_len: int | None
    minimum: Any
    maximum: Any
    min_items: int
    at_most_one: list      # groups of properties of which at most one may be present
    node_examples: list


def _resolve(ref: str, base: str) -> tuple[Any, str]:
    node, uri = registry.resolve(base, ref)
    return node, uri


_ONE: dict[tuple[int, str], tuple[Any, Eff]] = {}


def _collect(parts: list[tuple[Any, str]]) -> Eff:
    """The merged constraints of ``parts`` (one part's are cached: the schema objects are the registry's). The
    result must not be changed by the caller."""
    if len(parts) == 1:
        node, base = parts[0]
        hit = _ONE.get((id(node), base))
        if hit is None or hit[0] is not node:
            hit = _ONE[(id(node), base)] = (node, _merge(parts))
        return hit[1]
    return _merge(parts)


def _merge(parts: list[tuple[Any, str]]) -> Eff:
    e = Eff([], {}, [], set(), [], None, set(), None, False, [], [], None, None, None, None, None, 0, [], [])
    stack = list(parts)
    seen = 0
    while stack:
        node, base = stack.pop(0)
        seen += 1
        if seen > 400 or not isinstance(node, dict):
            continue
        if "$ref" in node:
            stack.insert(0, _resolve(node["$ref"], base))
        for kw, v in node.items():
            if kw == "type":
                e.types += v if isinstance(v, list) else [v]
            elif kw == "properties":
                for k, sub in v.items():
                    if sub is False:
                        e.forbidden.add(k)
                    elif isinstance(sub, dict) and sub.get("not") == {} and len([x for x in sub if x != "description"]) == 1:
                        e.forbidden.add(k)
                    else:
                        e.props.setdefault(k, []).append((sub, base))
            elif kw == "required":
                e.required += [r for r in v if r not in e.required]
            elif kw == "allOf":
                stack.extend((s, base) for s in v)
            elif kw == "if":
                e.conds.append((v, node.get("then"), node.get("else"), base))
            elif kw == "enum":
                e.enum = list(v) if e.enum is None else [x for x in e.enum if x in v]
            elif kw == "const":
                e.const, e.has_const = v, True
            elif kw == "not" and isinstance(v, dict):
                if "enum" in v:
                    e.not_enum |= set(v["enum"])
                if "required" in v:
                    e.forbidden |= set(v["required"])
                if "anyOf" in v and all(set(a) == {"required"} for a in v["anyOf"]):
                    e.at_most_one.append({k for a in v["anyOf"] for k in a["required"]})
            elif kw == "items":
                e.items.append((v, base))
            elif kw == "examples" and e.examples == []:
                e.examples = list(v)
            elif kw == "pattern" and e.pattern is None:
                e.pattern = v
            elif kw == "minLength":
                e.min_len = v
            elif kw == "maxLength":
                e.max_len = v if e.max_len is None else min(e.max_len, v)
            elif kw == "minimum":
                e.minimum = v
            elif kw == "maximum":
                e.maximum = v
            elif kw == "minItems":
                e.min_items = v
    return e


_VALIDATORS: dict[int, tuple[dict, Any]] = {}


def _holds(cond: dict, value: Any) -> bool:
    """Whether an ``if`` holds for a (partial) value. The conditions are the registry's own objects: one compiled
    validator each."""
    if isinstance(value, dict) and set(cond) <= {"properties", "required"} and \
            all(isinstance(sub, dict) and set(sub) in ({"const"}, {"enum"}) for sub in cond.get("properties", {}).values()):
        if any(k not in value for k in cond.get("required", ())):
            return False
        for k, sub in cond.get("properties", {}).items():
            if k in value and not (value[k] == sub["const"] and type(value[k]) is type(sub["const"]) if "const" in sub
                                   else any(value[k] == x and type(value[k]) is type(x) for x in sub["enum"])):
                return False
        return True
    hit = _VALIDATORS.get(id(cond))
    if hit is None or hit[0] is not cond:
        from jsonschema import Draft202012Validator
        hit = _VALIDATORS[id(cond)] = (cond, Draft202012Validator(cond))
    return hit[1].is_valid(value)


def _label(path: str, key: str) -> str:
    return f"{path}.{key}" if re.match(r"^[A-Za-z_$][A-Za-z0-9_$]*$", key) else f"{path}['{key}']"


# ---------------------------------------------------------------- drawing values

class Builder:
    def __init__(self, d: Draw, preset: dict | None = None):
        self.d = d
        self.preset = preset or {}

    def choose(self, options: list, label: str) -> Any:
        if label in self.preset and self.preset[label] in options:
            return self.preset[label]
        return self.d.choice(list(options), label)

    def value(self, parts: list, path: str) -> Any:
        e = _collect(parts)
        link = next((c for c in e.conds if isinstance(c[0], dict) and "propertyNames" in c[0]), None)
        if link is not None:
            cond, then, else_, base = link
            keys = [k for k, v in getattr(self.d, "constraints", {}).items()
                    if k.startswith(path + ".") and v not in (False, None)
                    and k[len(path) + 1:].split(".")[0].split("[")[0].rstrip("?").split("#")[0] not in LINK_FIELDS]
            link_only = self.d.forced(path + ".paymentTokenGenerated?") is True
            expand = not link_only and (bool(keys) or self.d.flag(path + "#expanded"))
            rest = [(dict((k, v) for k, v in p.items() if k not in ("if", "then", "else")), b) for p, b in parts]
            return self.value(rest + [((else_ if expand else then), base)], path)
        if e.has_const:
            return copy.deepcopy(e.const)
        if e.enum is not None:
            options = [v for v in e.enum if v not in e.not_enum] or e.enum
            return self.choose(options, path)
        types = [t for t in e.types if t != "null"] or (["object"] if e.props else [])
        t = types[0] if types else ("object" if e.props else "string")
        if t == "object":
            return self.obj(e, path)
        if t == "array":
            return self.array(e, path)
        if t == "boolean":
            return self.d.flag(path)
        if t == "integer":
            return self.integer(e, path)
        if t == "number":
            return e.examples[self.d.int(0, len(e.examples) - 1)] if e.examples else 1
        return self.string(e, path)

    def integer(self, e: Eff, path: str) -> int:
        lo = e.minimum if isinstance(e.minimum, int) else 0
        hi = e.maximum if isinstance(e.maximum, int) else INT_MAX
        examples = [x for x in e.examples if isinstance(x, int) and lo <= x <= hi] or [lo]
        return self.d.number(path, lo, hi, lambda d: examples[d.int(0, len(examples) - 1)])

    def string(self, e: Eff, path: str) -> str:
        if self.d.forced(path + "#len") == MAX and e.max_len:
            return "A" * e.max_len
        examples = [x for x in e.examples if isinstance(x, str)]
        if e.pattern and e.pattern.startswith("^/psp/paymentorders/") and not examples:
            return _id_from_pattern(e.pattern)
        if examples:
            return examples[self.d.int(0, len(examples) - 1)]
        return "x" * max(1, e.min_len or 1)

    def array(self, e: Eff, path: str) -> list:
        lo = max(e.min_items, 1 if self.d.wants(path + "[*]") else 0)
        n = self.d.int(lo, max(lo, 2), path + "#count")
        return [self.value(list(e.items), f"{path}[*]") for _ in range(n)]

    def obj(self, e: Eff, path: str) -> dict:
        order = list(e.props)
        out: dict = {}
        # discriminators first: what the conditions look at
        disc: list[str] = []
        for cond, *_ in e.conds:
            if isinstance(cond, dict):
                disc += [k for k in list(cond.get("properties", {})) + cond.get("required", []) if k not in disc]
        forbidden, required = set(e.forbidden), list(e.required)
        decided = set(disc)
        for k in disc:
            if k not in e.props:
                continue
            if k not in required:
                ok_with, ok_without = self._branch_ok(e, path, {**out, k: {}}), self._branch_ok(e, path, out)
                keep = self._present(path, k) if ok_with == ok_without else ok_with
            if k in required or keep:
                parts = list(e.props[k])
                parts += self._discriminator_filter(e, path, k)
                out[k] = self.value(parts, _label(path, k))
        extra_parts: dict[str, list] = {}
        for cond, then, else_, base in e.conds:
            if not isinstance(cond, dict) or "propertyNames" in cond:
                continue
            branch = then if _holds(cond, out) else else_
            if not isinstance(branch, dict):
                continue
            be = _collect([(branch, base)])
            required += [r for r in be.required if r not in required]
            forbidden |= be.forbidden
            for k, ps in be.props.items():
                extra_parts.setdefault(k, []).extend(ps)
        for k in list(out):
            if k in forbidden:
                del out[k]
        for k in order:
            if k in out or k in forbidden:
                continue
            if k in required or (k not in decided and self._present(path, k)):
                out[k] = self.value(list(e.props[k]) + extra_parts.get(k, []), _label(path, k))
        for group in e.at_most_one:
            present = sorted((k for k in order if k in group and k in out),
                             key=lambda k: 0 if self.d.forced(_label(path, k) + "?") is True else 1)
            for k in present[1:]:
                del out[k]
        return {k: out[k] for k in order if k in out}

    def _present(self, path: str, key: str) -> bool:
        label = _label(path, key)
        if self.d.wants(label + ".") or self.d.wants(label + "[") or self.d.forced(label) not in (None, False):
            if self.d.forced(label + "?") is not False:
                return True
        return self.d.flag(label + "?")

    def _branch_ok(self, e: Eff, path: str, partial: dict) -> bool:
        """Whether the branches a presence-only condition picks for ``partial`` keep what the draw forces."""
        for cond, then, else_, base in e.conds:
            if not isinstance(cond, dict) or set(cond) != {"required"}:
                continue
            branch = then if _holds(cond, partial) else else_
            if not isinstance(branch, dict):
                continue
            be = _collect([(branch, base)])
            for f in be.forbidden:
                lab = _label(path, f)
                if self.d.forced(lab + "?") is True or self.d.wants(lab + "."):
                    return False
            for f in be.required:
                if self.d.forced(_label(path, f) + "?") is False:
                    return False
        return True

    def _discriminator_filter(self, e: Eff, path: str, key: str) -> list:
        """A value of ``key`` that leads to no branch forbidding a field the draw wants, or requiring one it refuses."""
        constraints = getattr(self.d, "constraints", None)
        if not constraints or not any(k.startswith(path + ".") or k.startswith(path + "[") for k in constraints):
            return []  # nothing forced below here: every value is fine
        enum = None
        for ps in e.props.get(key, []):
            enum = _collect([ps]).enum or enum
        if not enum:
            return []
        ok = []
        for value in enum:
            bad = False
            for cond, then, else_, base in e.conds:
                if not isinstance(cond, dict) or "propertyNames" in cond:
                    continue
                branch = then if _holds(cond, {key: value}) else else_
                if not isinstance(branch, dict):
                    continue
                be = _collect([(branch, base)])
                for f in be.forbidden:
                    lab = _label(path, f)
                    if self.d.forced(lab + "?") is True or self.d.wants(lab + ".") or self.d.forced(lab) not in (None, False):
                        bad = True
                for f in be.required:
                    if self.d.forced(_label(path, f) + "?") is False:
                        bad = True
            if not bad:
                ok.append(value)
        return [({"enum": ok}, "")] if ok and len(ok) < len(enum) else []


def _id_from_pattern(pattern: str) -> str:
    m = re.match(r"^\^/psp/paymentorders/\[0-9a-fA-F\]\{8\}-.*?\{12\}(/.*)?\$$", pattern)
    tail = (m.group(1) or "") if m else ""
    tail = re.sub(r"\(([^|)]+)\|[^)]*\)", r"\1", tail)
    tail = tail.replace(_GUID_RE, EXAMPLE_GUID).replace("\\", "")
    return f"/psp/paymentorders/{EXAMPLE_GUID}{tail}"


# ---------------------------------------------------------------- making the rules true

def plan_money(d: Draw, status: str, amount: int, want: tuple = ()) -> tuple[int, int, int]:
    """(captured, reversed, cancelled) for a status: nothing has moved before Paid; Cancelled released it all;
    Reversed gave back everything captured; Paid is authorised, captured (in part or whole) or partly reversed."""
    if status == "Cancelled":
        return 0, 0, amount
    if status == "Reversed":
        return amount, amount, 0
    if status != "Paid":
        return 0, 0, 0
    plan = d.choice(("authorized", "captured", "part-captured", "part-reversed"), "#plan")
    if "reversal" in want and amount > 0:
        plan = "part-captured" if ("capture" in want or "cancel" in want) and amount > 1 else "captured"
    elif ("capture" in want or "cancel" in want) and plan != "authorized" and amount > 0:
        plan = "part-captured" if amount > 1 else "authorized"
    half = amount // 2
    return {"authorized": (0, 0, 0), "captured": (amount, 0, 0), "part-captured": (half, 0, 0),
            "part-reversed": (amount, half, 0)}[plan]


def _order_key(doc: dict) -> str | None:
    return next((k for k in ("paymentOrder", "paymentorder") if isinstance(doc.get(k), dict)), None)


def operations(status: str, money: tuple[int, int, int], amount: int, order_id: str, d: Draw, want: tuple = ()) -> list:
    captured, reversed_, cancelled = money
    rels: list[str] = []
    if status == "Initialized":
        rels = [r for r in INITIALIZED_RELS[:5] if d.flag("#rel-" + r)] or ["update-order"]
    elif status == "Paid":
        if amount - captured - cancelled > 0:
            rels += ["capture", "cancel"]
        if captured - reversed_ > 0:
            rels.append("reversal")
        rels += [r for r in ("redirect-checkout", "view-checkout") if d.flag("#rel-" + r)]
    elif status in ("Aborted",) and d.flag("#rel-redirect"):
        rels = ["redirect-checkout"]
    rels += [r for r in want if r not in rels]
    return [_op(r, order_id) for r in rels]


def _op(rel: str, order_id: str) -> dict:
    method, suffix, ctype = _OPS.get(rel, ("GET", "#other", "application/json"))
    api = "https://api.externalintegration.payex.com"
    token = "5a17c24e-d459-4567-bbad-aa0f17a76119"
    if suffix == "#redirect":
        href = f"https://ecom.externalintegration.payex.com/checkout/{token}"
    elif suffix == "#view":
        href = f"https://ecom.externalintegration.payex.com/checkout/client/{token}?culture=sv-SE"
    elif suffix == "#session":
        href = f"{api}/psp/paymentsessions/{token}"
    elif suffix == "#tokens":
        href = f"{api}/psp/paymentorders/paymenttokens/{token}"
    elif suffix == "#other":
        href = f"{api}{order_id}/{rel}"
    else:
        href = f"{api}{order_id}{suffix}"
    return {"method": method, "href": href, "rel": rel, "contentType": ctype}


def _fix_paid_like(res: dict, amount: int | None = None) -> None:
    if not isinstance(res, dict) or "instrument" not in res:
        return
    if amount is not None and isinstance(res.get("amount"), int):
        res["amount"] = amount
    a = res.get("amount")
    if isinstance(a, int):
        if "feeAmount" in res:
            res["feeAmount"] = 0
        if "discountAmount" in res:
            res["discountAmount"] = 0
        if "submittedAmount" in res:
            res["submittedAmount"] = a
    details = res.get("details")
    if isinstance(details, dict) and isinstance(details.get("maskedPan"), str) and "bin" in details:
        details["bin"] = details["maskedPan"][:6]


def _transactions(items: list, money: tuple[int, int, int], order_id: str, d: Draw) -> list:
    """The drawn transactions with amounts that add up to the money plan (captured, reversed, cancelled): the first
    Capture / Reversal / Cancellation carries the sum, the others 0; a missing one is added; Sale counts as 0."""
    captured, reversed_, cancelled = money
    items = [copy.deepcopy(t) for t in items if isinstance(t, dict)]
    template = items[0] if items else {}
    for kind, total in (("Capture", captured), ("Reversal", reversed_), ("Cancellation", cancelled)):
        mine = [t for t in items if t.get("type") == kind]
        if total > 0 and not mine:
            t = copy.deepcopy(template)
            guid = V.new_guid(d)
            t.update({"id": f"{order_id}/financialtransactions/{guid}", "type": kind})
            t.update(created="2020-06-22T10:58:10.2927632Z", updated="2020-06-22T10:58:10.4035291Z")
            for k, v in (("number", 40126128004), ("description", f"{kind} of the order"), ("payeeReference", "AB123"),
                         ("vatAmount", 0)):
                t.setdefault(k, v)
            if "orderItems" in t:
                t["orderItems"] = {"id": f"{t['id']}/orderitems"}
            items.append(t)
            mine = [t]
        for i, t in enumerate(mine):
            t["amount"] = total if i == 0 else 0
    for t in items:
        if t.get("type") == "Sale":
            t["amount"] = 0
        if isinstance(t.get("vatAmount"), int) and isinstance(t.get("amount"), int):
            t["vatAmount"] = min(t["vatAmount"], t["amount"])
    return items


def fix(name: str, doc: Any, d: Draw, want_rels: tuple = ()) -> Any:
    """Make the rules true on a payload the schema walk drew."""
    if not isinstance(doc, dict):
        return doc
    key = _order_key(doc)
    if name in ORDERS and key:
        o = doc[key]
        amount = o.get("amount") if isinstance(o.get("amount"), int) else 0
        if isinstance(o.get("vatAmount"), int) and o["vatAmount"] > amount:
            o["vatAmount"] = amount
        status = o.get("status")
        money = plan_money(d, status, amount, want_rels)
        ftl = f"$.{key}.financialTransactions.financialTransactionsList[*]"
        bound = d.forced(ftl + ".amount"), d.forced(ftl + ".vatAmount")
        if status == "Paid" and amount > 0 and (MAX in bound or (not any(money) and d.wants(ftl))):
            money = (amount, 0, 0)
        if status == "Paid" and bound[0] == MIN:
            money = (0, 0, 0)
        captured, reversed_, cancelled = money
        if status in ("Initialized", "Failed", "Aborted"):
            for k in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
                o.pop(k, None)
        else:
            for k, v in (("remainingCaptureAmount", amount - captured - cancelled),
                         ("remainingCancellationAmount", amount - captured - cancelled),
                         ("remainingReversalAmount", captured - reversed_)):
                if k in o:
                    o[k] = v
        for k in ("paid", "cancelled", "reversed"):
            _fix_paid_like(o.get(k) if isinstance(o.get(k), dict) else {})
        ft = o.get("financialTransactions")
        if isinstance(ft, dict) and isinstance(ft.get("financialTransactionsList"), list):
            items = ft["financialTransactionsList"]
            if MAX in bound and items:
                items = [dict(items[0], type="Capture")]
            items = _transactions(items, money, o.get("id", ""), d)
            for t in items:
                if bound[0] == MIN:
                    t["amount"] = 0
                if isinstance(t.get("amount"), int) and ("vatAmount" in t or bound[1] == MAX):
                    t["vatAmount"] = t["amount"] if bound[1] == MAX else min(t.get("vatAmount", 0), t["amount"])
            for k in ("updated", "receiptReference", "orderItems"):
                if d.forced(f"{ftl}.{k}?") is False:
                    for t in items:
                        t.pop(k, None)
            ft["financialTransactionsList"] = items
        _sort_history(o.get("history"))
        ops = operations(status, money, amount, o.get("id", ""), d, want_rels)
        ctype = d.forced("$.operations[*].contentType")
        if isinstance(ctype, str) and ops:
            ops[0]["contentType"] = ctype
        if d.forced("$.operations[*].contentType?") is False:
            for op in ops:
                op.pop("contentType", None)
        doc["operations"] = ops
    for k in ("paid", "cancelled", "reversed"):
        if isinstance(doc.get(k), dict):
            _fix_paid_like(doc[k])
    if isinstance(doc.get("history"), dict):
        _sort_history(doc["history"])
    ft = doc.get("financialTransactions")
    if isinstance(ft, dict) and isinstance(ft.get("financialTransactionsList"), list):
        for t in ft["financialTransactionsList"]:
            if isinstance(t, dict) and t.get("type") == "Reversal":
                t["amount"] = 0
                t["vatAmount"] = 0
    for k in ("paymentorder", "transaction"):
        body = doc.get(k)
        if isinstance(body, dict) and isinstance(body.get("amount"), int) and isinstance(body.get("vatAmount"), int) \
                and body["vatAmount"] > body["amount"]:
            body["vatAmount"] = body["amount"]
    return doc


def _sort_history(h: Any) -> None:
    if isinstance(h, dict) and isinstance(h.get("historyList"), list):
        h["historyList"].sort(key=lambda e: e.get("created", "") if isinstance(e, dict) else "")


def _regid(doc: Any, guid: str) -> Any:
    if isinstance(doc, str):
        return doc.replace(EXAMPLE_GUID, guid)
    if isinstance(doc, dict):
        return {k: _regid(v, guid) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_regid(v, guid) for v in doc]
    return doc


# ---------------------------------------------------------------- builders

def _want_rels(d: Draw, name: str) -> tuple:
    forced = d.forced("$.operations[*].rel")
    rels = [forced] if isinstance(forced, str) else list(forced) if isinstance(forced, tuple) else []
    method = d.forced("$.operations[*].method")
    ctype = d.forced("$.operations[*].contentType")
    patch = "update-order" if "Initialized" in STATUS_OF.get(name, STATUSES) else "delete-paymenttokens"
    by = {"GET": "redirect-checkout", "POST": "capture", "PATCH": patch,
          "text/html": "redirect-checkout", "application/javascript": "view-checkout", "application/json": patch}
    for v in (method, ctype):
        if isinstance(v, str) and v in by:
            rels.append(by[v])
    if d.forced("$.operations[*].contentType?") and not rels:
        rels.append("redirect-checkout")
    return tuple(dict.fromkeys(rels))


def _status_preset(name: str, d: Draw, want: tuple) -> dict:
    """Pick the order's status up front, so that what an edge target forces can appear (rules remove remaining
    amounts before money moved; a rel needs a status that offers it)."""
    root = "paymentorder" if d.forced("$.paymentorder?") or d.wants("$.paymentorder.") else "paymentOrder"
    label = f"$.{root}.status"
    options = list(STATUS_OF.get(name, STATUSES))
    forced = d.forced(label)
    if isinstance(forced, str) and forced in options:
        return {f"$.{r}.status": forced for r in ("paymentOrder", "paymentorder")}
    if any(d.forced(f"$.{root}.{k}?") for k in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount")):
        options = [s for s in options if s in ("Paid", "Cancelled", "Reversed")] or options
    for rel in want:
        fit = REL_STATUSES.get(rel, ("Initialized", "Paid", "Failed", "Aborted"))
        options = [s for s in options if s in fit] or options
    if d.forced(f"$.{root}.amount") == MIN:
        options = [s for s in options if s != "Reversed"] or options
    ft = f"$.{root}.financialTransactions.financialTransactionsList[*]"
    if d.forced(ft + ".amount") == MIN:
        options = [s for s in options if s not in ("Cancelled", "Reversed")] or options
    if d.forced(ft + ".amount") == MAX or d.forced(ft + ".vatAmount") == MAX:
        options = [s for s in options if s == "Paid"] or options
    if d.wants(f"$.{root}.financialTransactions.financialTransactionsList[*]"):
        options = [s for s in options if s in ("Paid", "Cancelled", "Reversed")] or options
    if d.forced("$.operations#count") == MAX or d.forced("$.operations[*].contentType?"):
        options = [s for s in options if s in ("Initialized", "Paid")] or options
    chosen = d.choice(options, label)
    return {f"$.{r}.status": chosen for r in ("paymentOrder", "paymentorder")}


def build(name: str, d: Draw | Any = None, **params: Any) -> Any:
    """A valid instance of v3.1 schema ``name`` (``status``/``instrument`` for the orders, ``instrument`` for
    paid/cancelled/reversed)."""
    d = as_draw(d)
    preset: dict = {}
    want: tuple = ()
    if name in ORDERS:
        want = _want_rels(d, name)
        if params.get("status"):
            for root in ("paymentOrder", "paymentorder"):
                preset[f"$.{root}.status"] = params["status"]
        else:
            preset.update(_status_preset(name, d, want))
    if params.get("instrument"):
        for p in ("$.paid.instrument", "$.cancelled.instrument", "$.reversed.instrument", "$.paymentOrder.paid.instrument",
                  "$.paymentorder.paid.instrument"):
            preset[p] = params["instrument"]
    schema = registry.get(name)
    b = Builder(d, preset)
    doc = b.value([(schema, schema["$id"])], "$")
    if name in ORDERS and params.get("instrument"):
        key = _order_key(doc)
        if key and doc[key].get("status") in ("Paid", "Cancelled", "Reversed"):
            doc[key]["paid"] = build(SPP3 + "paid", d, instrument=params["instrument"])["paid"]
    doc = fix(name, doc, d, want)
    return _regid(doc, V.new_guid(d))


def _builder(name: str):
    def make(d: Draw, **params: Any) -> Any:
        return build(name, d, **params)
    make.__name__ = "build_" + re.sub(r"[^a-z0-9]+", "_", name[len(SPP3):])
    return make


NAMES = tuple(n for n in registry.names() if n.startswith(SPP3))
BUILDERS = {n: _builder(n) for n in NAMES}
PARAMS = {**{n: ("status", "instrument") for n in ORDERS},
          **{SPP3 + n: ("instrument",) for n in ("paid", "cancelled", "reversed")}}
INSTRUMENTS = ("CreditCard", "ApplePay", "ClickToPay", "GooglePay", "MobilePay", "Vipps", "Swish", "Invoice", "CreditAccount",
               "Trustly")


# ---------------------------------------------------------------- lifecycles

#: the routes through the v3.1 machine: (event, status after, money after as a function of the amount)
PATHS = {
    "capture-then-reverse": (("pay", "Paid", "auth"), ("capture", "Paid", "captured"), ("reversal", "Reversed", "reversed")),
    "capture-in-parts": (("pay", "Paid", "auth"), ("capture-part", "Paid", "half"), ("capture", "Paid", "captured")),
    "partial-reversal": (("pay", "Paid", "auth"), ("capture", "Paid", "captured"), ("reversal-part", "Paid", "part-reversed"),
                         ("reversal", "Reversed", "reversed")),
    "cancel": (("pay", "Paid", "auth"), ("cancel", "Cancelled", "cancelled")),
    "abort": (("abort", "Aborted", "none"),),
    "fail": (("fail", "Failed", "none"),),
}
_MONEY = {"none": lambda a: (0, 0, 0), "auth": lambda a: (0, 0, 0), "half": lambda a: (a // 2, 0, 0),
          "captured": lambda a: (a, 0, 0), "part-reversed": lambda a: (a, a // 2, 0), "reversed": lambda a: (a, a, 0),
          "cancelled": lambda a: (0, 0, a)}
_SUB = {"Paid": "paid", "Cancelled": "cancelled", "Reversed": "reversed", "Failed": "failed", "Aborted": "aborted"}


def order_lifecycle(d: Draw, path: str | None = None) -> tuple[str, list[tuple[str, str, dict]]]:
    """``(path, [(event, status, payment-order response)])``: one order, step by step."""
    path = path or d.choice(tuple(PATHS), "#path")
    base = build(SPP3 + "payment-order", d, status="Initialized")
    o = base["paymentOrder"] if "paymentOrder" in base else base["paymentorder"]
    key = "paymentOrder" if "paymentOrder" in base else "paymentorder"
    amount = o["amount"]
    steps = [("create", "Initialized", base)]
    for event, status, money_kind in PATHS[path]:
        doc = copy.deepcopy(steps[-1][2])
        order = doc[key]
        order["status"] = status
        money = _MONEY[money_kind](amount)
        for st, seg in _SUB.items():
            need = st == status or (seg == "paid" and status in ("Paid", "Cancelled", "Reversed"))
            if need and seg not in order:
                order[seg] = {"id": f"{order['id']}/{seg}"}
        moved = status != "Initialized" and status in ("Paid", "Cancelled", "Reversed")
        for k, v in (("remainingCaptureAmount", amount - money[0] - money[2]), ("remainingCancellationAmount", amount - money[0] - money[2]),
                     ("remainingReversalAmount", money[0] - money[1])):
            if moved:
                order[k] = v
            else:
                order.pop(k, None)
        ft = order.get("financialTransactions")
        if isinstance(ft, dict) and "financialTransactionsList" in ft:
            ft["financialTransactionsList"] = _transactions([], money, order["id"], d)
        doc["operations"] = operations(status, money, amount, order["id"], d)
        steps.append((event, status, doc))
    return path, steps


def lifecycle(name: str, d: Draw) -> tuple[str, list[tuple[str, str, Any]]]:
    """The lifecycle of any v3.1 schema: the order's steps, or what that schema shows of each step."""
    path, steps = order_lifecycle(d)
    if name == SPP3 + "payment-order":
        return path, steps
    out: list[tuple[str, str, Any]] = []
    for event, status, doc in steps:
        key = "paymentOrder" if "paymentOrder" in doc else "paymentorder"
        if name in STATUS_OF and status in STATUS_OF[name] and event.split("-")[0] in name:
            out.append((event, status, doc))
        elif name == SPP3 + "operation":
            out += [(event, status, op) for op in doc["operations"]]
        elif name == SPP3 + "headers":
            out.append((event, status, {"content-type": "application/json; charset=utf-8; version=3.1", "api-supported-versions": "3.1"}))
        elif name == SPP3 + "callback" and event != "create":
            out.append((event, status, {"paymentOrder": {"id": doc[key]["id"], "instrument": "CreditCard", "number": 40126128004}}))
    if not out:  # a request body or a sub-resource: drawn for the lifecycle's last status where it has one
        status = steps[-1][1]
        params = {"status": status} if name in ORDERS and status in STATUS_OF.get(name, STATUSES) else {}
        out.append((steps[-1][0], status, build(name, d, **params)))
    return path, out
