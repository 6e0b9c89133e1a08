/* Rule certifiers: one function a rule of contracts/rules/, each returning 1 when its rule certainly finds
 * nothing, 0 otherwise. They read the same View the Python rules build, and the rules' own constants
 * (checkout_contracts.fastpath._constants hands them over). Where a Python rule would compare values of unexpected types
 * (and so might raise), the certifier says 0. RULES below names each certifier's rule; contracts/fastpath/mirror.py
 * holds every certifier to the Python rule it mirrors (a digest of both, recorded in mirror.h). */
#include "fast.h"
#include <math.h>

struct View {
    const Node *n;
    int paid_schema;                         /* the schema is the paid resource (View.schema == SPP_PAID) */
    int order, paid, details, tokens, ops;   /* node indexes or -1 */
};

static int is_str(const Node *nd, int i, const char *lit) {
    return i >= 0 && nd[i].kind == K_STRING && str_eq(nd[i].s, nd[i].count, lit, strlen(lit));
}

static void spp_view(const Node *n, View *v) {
    v->order = get_kind(n, 0, L("paymentOrder"), K_OBJECT);
    if (v->order < 0) v->order = get_kind(n, 0, L("paymentorder"), K_OBJECT);
    v->paid = get_kind(n, 0, L("paid"), K_OBJECT);
    if (v->paid < 0) {
        int p = get_kind(n, v->order, L("paid"), K_OBJECT);
        if (p >= 0 && get(n, p, L("instrument")) >= 0) v->paid = p;
    }
    v->ops = get_kind(n, 0, L("operations"), K_ARRAY);
    v->details = get_kind(n, v->paid, L("details"), K_OBJECT);
    v->tokens = get_kind(n, v->paid, L("tokens"), K_ARRAY);
}

/* each operation's rel: the callback gets the rel node (any kind) */
#define FOR_OPS(v, rel) \
    for (uint32_t _e = (v)->ops + 1, _k = 0; (v)->ops >= 0 && _k < (v)->n[(v)->ops].count; _e = (v)->n[_e].next, _k++) \
        for (int rel = (v)->n[_e].kind == K_OBJECT ? get((v)->n, _e, L("rel")) : -2, _once = 1; _once; _once = 0) \
            if (rel != -2)

/* rules.integer: an integer, or an integer-valued float (2789500.0 is the integer 2789500 to the schemas and the
 * rules). A float never reaches a certified verdict through an integer field anyway (eval leaves it to the engines). */
static int ival(const Node *n, int i, int64_t *out) {
    if (i >= 0 && n[i].kind == K_INT) { *out = n[i].i; return 1; }
    if (i >= 0 && n[i].kind == K_FLOAT && n[i].d == floor(n[i].d) && fabs(n[i].d) < 9007199254740992.0) {
        *out = (int64_t)n[i].d; return 1;
    }
    return 0;
}

static int r_bin_prefix(const Prog *pg, View *v) {
    const Node *n = v->n;
    int pan = get(n, v->details, L("maskedPan"));
    if (pan < 0) return 1;
    int bin = get(n, v->details, L("bin"));
    if (bin < 0 || n[bin].kind != K_STRING || n[pan].kind != K_STRING) return 1;
    uint32_t len = n[pan].count < 6 ? n[pan].count : 6;
    if (len == 0) return 1;
    for (uint32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)n[pan].s[i];
        if (c >= 0x80) return 0;        /* Unicode digits: leave it to Python */
        if (!is_digit((char)c)) return 1;  /* pan[:6] is not all digits: the rule does not apply */
    }
    return str_eq(n[bin].s, n[bin].count, n[pan].s, len);
}

static int r_vat(const Prog *pg, View *v) {
    int64_t vat, amount;
    if (ival(v->n, get(v->n, v->order, L("vatAmount")), &vat) && ival(v->n, get(v->n, v->order, L("amount")), &amount))
        return vat <= amount;
    return 1;
}

static int r_remaining(const Prog *pg, View *v) {
    int64_t amount, x;
    if (!ival(v->n, get(v->n, v->order, L("amount")), &amount)) return 1;
    const Lit *keys[] = {L("remainingCaptureAmount"), L("remainingCancellationAmount"), L("remainingReversalAmount")};
    for (int i = 0; i < 3; i++)
        if (ival(v->n, get(v->n, v->order, keys[i]), &x) && x > amount) return 0;
    return 1;
}

static int r_paid_matches(const Prog *pg, View *v) {
    int64_t a, b;
    int paid = get_kind(v->n, v->order, L("paid"), K_OBJECT);
    if (ival(v->n, get(v->n, v->order, L("amount")), &a) && ival(v->n, get(v->n, paid, L("amount")), &b)) return a == b;
    return 1;
}

static int r_paid_adds_up(const Prog *pg, View *v) {
    const Node *n = v->n;
    if (get(n, v->paid, L("submittedAmount")) < 0) return 1;
    int64_t amount, sub, fee, disc;
    if (ival(n, get(n, v->paid, L("amount")), &amount) && ival(n, get(n, v->paid, L("submittedAmount")), &sub)
        && ival(n, get(n, v->paid, L("feeAmount")), &fee) && ival(n, get(n, v->paid, L("discountAmount")), &disc))
        return (__int128)amount == (__int128)sub + fee - disc;
    return 1;
}

static int starts_under(const Node *n, int id, int order_id) {
    /* sid.startswith(order_id + "/") */
    const Node *a = &n[id], *o = &n[order_id];
    return a->count > o->count && memcmp(a->s, o->s, o->count) == 0 && a->s[o->count] == '/';
}

static int r_subresource(const Prog *pg, View *v) {
    const Node *n = v->n;
    if (v->paid_schema) {
        int oid = get_kind(n, 0, L("paymentOrder"), K_STRING), pid = get_kind(n, v->paid, L("id"), K_STRING);
        if (oid >= 0 && pid >= 0 && n[oid].count && n[pid].count) return starts_under(n, pid, oid);
        return 1;
    }
    int oid = get_kind(n, v->order, L("id"), K_STRING);
    if (oid < 0) return 1;
    for (uint32_t i = 0; i < pg->subs.n; i++) {
        Lit key = {pg->subs.items[i].s, pg->subs.items[i].len, pg->subs.items[i].h, 1};
        int sub = get_kind(n, v->order, &key, K_OBJECT);
        int sid = get_kind(n, sub, L("id"), K_STRING);
        if (sid >= 0 && !starts_under(n, sid, oid)) return 0;
    }
    return 1;
}

static int r_sale(const Prog *pg, View *v) {
    const Node *n = v->n;
    int paid = get_kind(n, v->order, L("paid"), K_OBJECT);
    if (!is_str(n, get(n, v->order, L("transactionType")), "Sale") && !is_str(n, get(n, paid, L("transactionType")), "Sale"))
        return 1;
    int64_t remaining;
    if (ival(n, get(n, v->order, L("remainingCaptureAmount")), &remaining) && remaining != 0) return 0;
    FOR_OPS(v, rel) {
        if (rel < 0) continue;                                               /* op.get("rel") is None */
        if (n[rel].kind == K_ARRAY || n[rel].kind == K_OBJECT) return 0;   /* unhashable: the rule would raise */
        if (n[rel].kind == K_STRING && in_set(&pg->capture, &n[rel])) return 0;
    }
    return 1;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {  /* days since 1970-01-01 */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* rules.swedbankpay.instant: 1 with (seconds, fraction padded to 9 digits) for a well-formed ASCII timestamp
 * that datetime accepts; -1 for anything else (Python may read more, or less: not sure). */
static int instant(const Node *t, int64_t *sec, char frac[9]) {
    const char *s = t->s;
    size_t n = t->count, i;
    if (t->cps != n || n < 20) return -1;
    for (i = 0; i < 19; i++) {
        char want = (i == 4 || i == 7) ? '-' : (i == 10) ? 'T' : (i == 13 || i == 16) ? ':' : 0;
        if (want ? s[i] != want : !is_digit(s[i])) return -1;
    }
    int year = num2(s) * 100 + num2(s + 2), month = num2(s + 5), day = num2(s + 8);
    int hour = num2(s + 11), minute = num2(s + 14), second = num2(s + 17);
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return -1;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > dim[month - 1] + (month == 2 && leap)) return -1;
    memset(frac, '0', 9);
    if (s[i] == '.') {
        size_t f = ++i;
        while (i < n && is_digit(s[i])) i++;
        if (i == f || i - f > 9) return -1;
        memcpy(frac, s + f, i - f);
    }
    int64_t offset = 0;
    if (i + 1 == n && s[i] == 'Z') {
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1]) && is_digit(s[i + 2]) && s[i + 3] == ':'
               && is_digit(s[i + 4]) && is_digit(s[i + 5]) && num2(s + i + 1) <= 23 && num2(s + i + 4) <= 59) {
        offset = (int64_t)(num2(s + i + 1) * 3600 + num2(s + i + 4) * 60) * (s[i] == '+' ? 1 : -1);
    } else return -1;
    *sec = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    return 1;
}

static int r_updated(const Prog *pg, View *v) {
    const Node *n = v->n;
    int c = get_kind(n, v->order, L("created"), K_STRING), u = get_kind(n, v->order, L("updated"), K_STRING);
    if (c < 0 || u < 0 || !n[c].count || !n[u].count) return 1;
    const Node *C = &n[c], *U = &n[u];
    if (str_eq(C->s, C->count, U->s, U->count)) return 1;
    /* same length, both UTC ('Z'), 'T' at 10 (ASCII there, so code point 10 is byte 10): strings order as instants */
    if (C->count == U->count && C->cps == C->count && U->cps == U->count && C->count > 10
        && C->s[C->count - 1] == 'Z' && U->s[U->count - 1] == 'Z' && C->s[10] == 'T' && U->s[10] == 'T')
        return memcmp(U->s, C->s, C->count) >= 0;
    int64_t cs, us;
    char cf[9], uf[9];
    if (instant(C, &cs, cf) < 0 || instant(U, &us, uf) < 0) return 0;   /* Python may read them otherwise */
    return us > cs || (us == cs && memcmp(uf, cf, 9) >= 0);
}

static int r_token_type(const Prog *pg, View *v) {
    const Node *n = v->n;
    if (v->tokens < 0) return 1;
    uint32_t e = v->tokens + 1;
    for (uint32_t k = 0; k < n[v->tokens].count; k++, e = n[e].next) {
        if (n[e].kind != K_OBJECT) continue;
        int t = get(n, e, L("type"));
        if (t < 0) continue;
        if (n[t].kind == K_ARRAY || n[t].kind == K_OBJECT) return 0;
        if (n[t].kind == K_STRING && in_set(&pg->canon_token, &n[t])) return 0;
    }
    return 1;
}

static int r_instrument(const Prog *pg, View *v) {
    return !is_str(v->n, get(v->n, v->paid, L("instrument")), "Creditcard");
}

/* Paiwise */

/* The log's members in order: key node k, entry k + 1. A walk stops with 0 ("not sure") on a non-ASCII key where
 * the rule compares keys (Python compares code points). */
#define FOR_LOG(n, log, k) \
    for (uint32_t k = (log) + 1, _m = 0; (log) >= 0 && _m < (n)[log].count; k = (n)[k + 1].next, _m++)

static int pw_log(const Node *n) { return get_kind(n, 0, L("log"), K_OBJECT); }

/* View.refunds / View.reasons: the entry's details when "details" is a member and an object, else -1 */
static int pw_details(const Node *n, uint32_t entry) {
    return n[entry].kind == K_OBJECT ? get_kind(n, (int)entry, L("details"), K_OBJECT) : -1;
}

static int pw_refunded(const Node *n, int log, int64_t *out) {   /* sum of the refunds; 0 when too big to be sure */
    int64_t refunded = 0, r;
    FOR_LOG(n, log, k) {
        int details = pw_details(n, k + 1);
        if (ival(n, get(n, details, L("amountRefund")), &r)) {
            refunded += r;
            if (refunded > (1LL << 50) || refunded < -(1LL << 50)) return 0;
        }
    }
    *out = refunded;
    return 1;
}

static int r_pw_balance(const Prog *pg, View *v) {
    const Node *n = v->n;
    int64_t amount, bal, refunded;
    if (!ival(n, get(n, 0, L("amount")), &amount) || !ival(n, get(n, 0, L("balance")), &bal)) return 1;
    return pw_refunded(n, pw_log(n), &refunded) && bal == amount - refunded;
}

static int r_pw_refunds_within(const Prog *pg, View *v) {
    const Node *n = v->n;
    int64_t amount, total = 0, r;
    if (!ival(n, get(n, 0, L("amount")), &amount)) return 1;
    int log = pw_log(n);
    FOR_LOG(n, log, k) {
        if (ival(n, get(n, pw_details(n, k + 1), L("amountRefund")), &r)) {
            total += r;
            if (total > amount || total < -(1LL << 50)) return 0;
        }
    }
    return 1;
}

static int r_pw_status_fits_balance(const Prog *pg, View *v) {
    const Node *n = v->n;
    int64_t amount, bal;
    if (!ival(n, get(n, 0, L("amount")), &amount) || !ival(n, get(n, 0, L("balance")), &bal)) return 1;
    int st = get(n, 0, L("status"));
    if (is_str(n, st, "refunded") && bal != 0) return 0;
    if (is_str(n, st, "partialRefund") && !(0 < bal && bal < amount)) return 0;
    return 1;
}

static int pw_log_key(const Node *k) {  /* len(k) == 19 and k[10] == " " and k[4] == "-" */
    return k->cps == 19 && k->count == 19 && k->s[10] == ' ' && k->s[4] == '-';
}

static int r_pw_log_order(const Prog *pg, View *v) {
    const Node *n = v->n;
    int log = pw_log(n), first = -1, prev = -1;
    FOR_LOG(n, log, k) {
        if (n[k].cps != n[k].count) return 0;
        if (!pw_log_key(&n[k])) continue;
        if (first < 0) first = (int)k;
        if (prev >= 0 && memcmp(n[k].s, n[prev].s, 19) < 0) return 0;   /* ascending */
        prev = (int)k;
    }
    if (first >= 0) {                                                      /* the first action is created */
        int entry = first + 1;
        int action = n[entry].kind == K_OBJECT ? get_kind(n, entry, L("action"), K_STRING) : -1;
        if (action >= 0 && !is_str(n, action, "created")) return 0;
    }
    return 1;
}

static int r_pw_status_changed_latest(const Prog *pg, View *v) {
    const Node *n = v->n;
    int log = pw_log(n), newest = -1;
    int changed = get_kind(n, 0, L("statusChanged"), K_STRING);
    if (changed < 0) return 1;
    FOR_LOG(n, log, k) {
        if (n[k].cps != n[k].count) return 0;
        if (pw_log_key(&n[k]) && (newest < 0 || memcmp(n[k].s, n[newest].s, 19) > 0)) newest = (int)k;
    }
    return newest < 0 || str_eq(n[changed].s, n[changed].count, n[newest].s, 19);
}

static int r_pw_used_card_saved(const Prog *pg, View *v) {
    const Node *n = v->n;
    int used = get_kind(n, 0, L("usedCard"), K_OBJECT);
    int card_id = get(n, used, L("card_id"));
    int saved = get_kind(n, get_kind(n, 0, L("customer"), K_OBJECT), L("savedCards"), K_ARRAY);
    if (card_id < 0 || n[card_id].kind != K_STRING || saved < 0 || !n[saved].count) return 1;
    int found = 0;
    uint32_t e = saved + 1;
    for (uint32_t k = 0; k < n[saved].count; k++, e = n[e].next) {
        if (n[e].kind != K_OBJECT) continue;
        int c = get(n, e, L("card_id"));
        if (c >= 0 && (n[c].kind == K_ARRAY || n[c].kind == K_OBJECT)) return 0;  /* unhashable in a set */
        if (c >= 0 && n[c].kind == K_STRING && str_eq(n[c].s, n[c].count, n[card_id].s, n[card_id].count)) found = 1;
    }
    return found;
}

static int r_pw_reason_case(const Prog *pg, View *v) {
    const Node *n = v->n;
    int log = pw_log(n);
    FOR_LOG(n, log, k) {
        int reason = get_kind(n, pw_details(n, k + 1), L("reason"), K_STRING);
        if (reason < 0 || in_set(&pg->reasons, &n[reason])) continue;
        /* a finding when reason.lower() is documented */
        char low[64];
        uint32_t len = n[reason].count;
        if (len >= sizeof low) continue;    /* longer than any documented reason */
        for (uint32_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)n[reason].s[i];
            if (c >= 0x80) return 0;         /* str.lower() beyond ASCII: leave it to Python */
            low[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        for (uint32_t i = 0; i < pg->reasons.n; i++)
            if (str_eq(pg->reasons.items[i].s, pg->reasons.items[i].len, low, len)) return 0;
    }
    return 1;
}

static int r_problem_status(const Prog *pg, View *v) {
    return 1;   /* problem.status vs the HTTP status: no HTTP exchange on this path, so the rule finds nothing */
}

/* ------------------------------------------------------------------ the table */

const RuleC RULES[] = {
    {"spp-bin-prefix", r_bin_prefix},
    {"spp-vat-within-amount", r_vat},
    {"spp-remaining-within-amount", r_remaining},
    {"spp-paid-amount-matches-order", r_paid_matches},
    {"spp-paid-amount-adds-up", r_paid_adds_up},
    {"spp-subresource-under-order", r_subresource},
    {"spp-sale-nothing-to-capture", r_sale},
    {"spp-updated-after-created", r_updated},
    {"spp-token-type-spelling", r_token_type},
    {"spp-instrument-spelling", r_instrument},
    {"spp-problem-status-matches-http", r_problem_status},
    {"pw-balance", r_pw_balance},
    {"pw-refunds-within-amount", r_pw_refunds_within},
    {"pw-status-fits-balance", r_pw_status_fits_balance},
    {"pw-log-order", r_pw_log_order},
    {"pw-status-changed-is-latest-log", r_pw_status_changed_latest},
    {"pw-used-card-is-saved", r_pw_used_card_saved},
    {"pw-refund-reason-case", r_pw_reason_case},
    {NULL, NULL},
};

/* The rules of one schema (indexes into RULES, handed over by checkout_contracts.fastpath), over the View of rules.*.View. */
int certify_rules(const Prog *pg, int schema, const Node *n) {
    const int32_t *rules = pg->rules[schema];
    uint32_t count = pg->nrules[schema];
    if (!count) return 1;
    View v;
    v.n = n;
    v.paid_schema = pg->paid_schema[schema];
    spp_view(n, &v);
    for (uint32_t i = 0; i < count; i++)
        if (!RULES[rules[i]].fn(pg, &v)) return 0;
    return 1;
}
