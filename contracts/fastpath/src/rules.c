/* Rule certifiers: each returns 1 when its rule (contracts/rules/) certainly finds nothing, 0 otherwise. They
 * read the same View the Python rules build, and the rules' own constants (contracts.fastpath._constants).
 * Where a Python rule would compare values of unexpected types (and so might raise), the certifier says 0. */
#include "fast.h"
#include <math.h>

typedef struct {
    const Node *n;
    int order, paid, details, tokens, ops;   /* node indexes or -1 */
} View;

static int is_str(const Node *nd, int i, const char *lit) {
    return i >= 0 && nd[i].kind == K_STRING && str_eq(nd[i].s, nd[i].count, lit, strlen(lit));
}

static void spp_view(const Node *n, View *v) {
    v->n = n;
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

static int r_subresource(const Prog *pg, View *v, int group) {
    const Node *n = v->n;
    if (group == G_SPP_PAID) {
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

static int rel_in(const Node *n, int rel, const StrSet *set, int *unsure) {
    if (rel < 0) return 0;                                  /* op.get("rel") is None */
    if (n[rel].kind == K_ARRAY || n[rel].kind == K_OBJECT) { *unsure = 1; return 0; }  /* unhashable */
    return n[rel].kind == K_STRING && in_set(set, &n[rel]);
}

static int r_ops_status(const Prog *pg, View *v) {
    const Node *n = v->n;
    int st = get_kind(n, v->order, L("status"), K_STRING);
    if (st < 0) return 1;
    const StrSet *banned = NULL;
    for (uint32_t i = 0; i < pg->not_offered_status.n; i++)
        if (str_eq(pg->not_offered_status.items[i].s, pg->not_offered_status.items[i].len, n[st].s, n[st].count))
            banned = &pg->not_offered[i];
    if (!banned || !banned->n) return 1;
    int unsure = 0;
    FOR_OPS(v, rel) { if (rel_in(n, rel, banned, &unsure) || unsure) return 0; }
    return 1;
}

static int r_ops_remaining(const Prog *pg, View *v) {
    const Node *n = v->n;
    int64_t cap = -1, can = -1;
    int has_cap = ival(n, get(n, v->order, L("remainingCaptureAmount")), &cap);
    int has_can = ival(n, get(n, v->order, L("remainingCancellationAmount")), &can);
    int unsure = 0;
    FOR_OPS(v, rel) {
        if (rel_in(n, rel, &pg->capture, &unsure)) { if (has_cap && cap == 0) return 0; }
        else if (rel_in(n, rel, &pg->cancel, &unsure) && has_can && can == 0) return 0;
        if (unsure) return 0;
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
    int unsure = 0;
    FOR_OPS(v, rel) { if (rel_in(n, rel, &pg->capture, &unsure) || unsure) return 0; }
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

/* ^[0-9]{a}[set]{2,9}[0-9]{lo,hi}$ on an ASCII string */
static int masked_form(const char *s, uint32_t n, int lead, const char *mid, int lo, int hi) {
    uint32_t i = 0;
    for (; i < (uint32_t)lead; i++) if (i >= n || !is_digit(s[i])) return 0;
    uint32_t m = i;
    while (i < n && strchr(mid, s[i]) && s[i]) i++;
    if (i - m < 2 || i - m > 9) return 0;
    uint32_t t = i;
    while (i < n && is_digit(s[i])) i++;
    return i == n && (int)(i - t) >= lo && (int)(i - t) <= hi;
}

static int r_token_name(const Prog *pg, View *v) {
    const Node *n = v->n;
    if (v->tokens < 0) return 1;
    uint32_t e = v->tokens + 1;
    for (uint32_t k = 0; k < n[v->tokens].count; k++, e = n[e].next) {
        int nm = n[e].kind == K_OBJECT ? get(n, e, L("name")) : -1;
        if (nm < 0 || n[nm].kind != K_STRING) continue;
        const char *s = n[nm].s;
        uint32_t len = n[nm].count;
        int cardish = len >= 12 && len <= 23, any_digit = 0;
        for (uint32_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '\n') return 0;     /* re's $ matches before a final line break: leave it to Python */
            if (c >= 0x80) { cardish = 0; continue; }   /* outside [0-9*xX ]: not card-like */
            if (is_digit((char)c)) any_digit = 1;
            else if (c != '*' && c != 'x' && c != 'X' && c != ' ') cardish = 0;
        }
        if (!cardish || !any_digit) continue;
        if (masked_form(s, len, 6, "*", 4, 4) || masked_form(s, len, 4, "xX*", 4, 6)) continue;
        return 0;
    }
    return 1;
}

/* Paiwise */

static int pw_log_key(const Node *k) {  /* len(k) == 19 and k[10] == " " and k[4] == "-" */
    return k->cps == 19 && k->count == 19 && k->s[10] == ' ' && k->s[4] == '-';
}

static int r_pw_checkout(const Prog *pg, const Node *n) {
    /* balance, refunds-within-amount, status-fits-balance, log-order, status-changed-is-latest-log,
     * used-card-is-saved and refund-reason-case, over one walk of the log */
    int log = get_kind(n, 0, L("log"), K_OBJECT);
    int64_t amount = 0, bal = 0, refunded = 0;
    int has_amount = ival(n, get(n, 0, L("amount")), &amount), has_bal = ival(n, get(n, 0, L("balance")), &bal);
    int first_key = -1, newest = -1, prev = -1;
    if (log >= 0) {
        uint32_t k = log + 1;
        for (uint32_t m = 0; m < n[log].count; m++, k = n[k + 1].next) {
            const Node *key = &n[k];
            if (key->cps != key->count) return 0;   /* non-ASCII keys: Python compares code points */
            if (pw_log_key(key)) {
                if (first_key < 0) first_key = k;
                if (prev >= 0) {                         /* log-order: ascending */
                    const Node *p = &n[prev];
                    if (memcmp(key->s, p->s, 19) < 0) return 0;
                }
                prev = k;
                if (newest < 0 || memcmp(key->s, n[newest].s, 19) > 0) newest = k;
            }
            int entry = k + 1;
            if (n[entry].kind != K_OBJECT || get(n, entry, L("details")) < 0) continue;
            int details = get_kind(n, entry, L("details"), K_OBJECT);
            if (details < 0) continue;
            int64_t r;
            if (ival(n, get(n, details, L("amountRefund")), &r)) {
                refunded += r;
                if (has_amount && refunded > amount) return 0;     /* refunds-within-amount */
                if (refunded > (1LL << 50) || refunded < -(1LL << 50)) return 0;
            }
            int reason = get_kind(n, details, L("reason"), K_STRING);
            if (reason >= 0 && !in_set(&pg->reasons, &n[reason])) {
                /* refund-reason-case: a finding when reason.lower() is documented */
                char low[64];
                uint32_t len = n[reason].count;
                if (len < sizeof low) {
                    for (uint32_t i = 0; i < len; i++) {
                        unsigned char c = (unsigned char)n[reason].s[i];
                        if (c >= 0x80) return 0;
                        low[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
                    }
                    for (uint32_t i = 0; i < pg->reasons.n; i++)
                        if (str_eq(pg->reasons.items[i].s, pg->reasons.items[i].len, low, len)) return 0;
                }
            }
        }
    }
    if (has_amount && has_bal) {
        if (bal != amount - refunded) return 0;                   /* balance */
        int st = get(n, 0, L("status"));
        if (is_str(n, st, "refunded") && bal != 0) return 0;     /* status-fits-balance */
        if (is_str(n, st, "partialRefund") && !(0 < bal && bal < amount)) return 0;
    }
    if (first_key >= 0) {                                        /* log-order: the first action is created */
        int entry = first_key + 1;
        int action = n[entry].kind == K_OBJECT ? get_kind(n, entry, L("action"), K_STRING) : -1;
        if (action >= 0 && !is_str(n, action, "created")) return 0;
        int changed = get(n, 0, L("statusChanged"));                 /* status-changed-is-latest-log */
        if (changed >= 0 && n[changed].kind == K_STRING && !str_eq(n[changed].s, n[changed].count, n[newest].s, 19))
            return 0;
    }
    /* used-card-is-saved */
    int used = get_kind(n, 0, L("usedCard"), K_OBJECT);
    int card_id = get(n, used, L("card_id"));
    int saved = get_kind(n, get_kind(n, 0, L("customer"), K_OBJECT), L("savedCards"), K_ARRAY);
    if (card_id >= 0 && n[card_id].kind == K_STRING && saved >= 0 && n[saved].count) {
        int found = 0;
        uint32_t e = saved + 1;
        for (uint32_t k = 0; k < n[saved].count; k++, e = n[e].next) {
            if (n[e].kind != K_OBJECT) continue;
            int c = get(n, e, L("card_id"));
            if (c >= 0 && (n[c].kind == K_ARRAY || n[c].kind == K_OBJECT)) return 0;  /* unhashable in a set */
            if (c >= 0 && n[c].kind == K_STRING && str_eq(n[c].s, n[c].count, n[card_id].s, n[card_id].count)) found = 1;
        }
        if (!found) return 0;
    }
    return 1;
}

static int bad_month(const Node *n, int i) {  /* 1: finding, 0: fine, -1: not sure */
    if (i < 0 || n[i].kind != K_STRING) return 0;
    const char *s = n[i].s;
    uint32_t len = n[i].count, m = 0;
    while (m < len && s[m] != '/') m++;
    if (m == 0 || m > 2) {
        for (uint32_t j = 0; j < m && j < len; j++) if ((unsigned char)s[j] >= 0x80) return -1;
        return 0;
    }
    for (uint32_t j = 0; j < m; j++) {
        if ((unsigned char)s[j] >= 0x80) return -1;
        if (!is_digit(s[j])) return 0;
    }
    int month = m == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
    return !(month >= 1 && month <= 12);
}

static int r_pw_expiry(const Prog *pg, const Node *n) {
    int used = get_kind(n, 0, L("usedCard"), K_OBJECT);
    if (used >= 0 && bad_month(n, get(n, used, L("expires"))) != 0) return 0;
    int customer = get_kind(n, 0, L("customer"), K_OBJECT);
    int saved = get_kind(n, customer >= 0 ? customer : 0, L("savedCards"), K_ARRAY);
    if (saved >= 0) {
        uint32_t e = saved + 1;
        for (uint32_t k = 0; k < n[saved].count; k++, e = n[e].next)
            if (n[e].kind == K_OBJECT && bad_month(n, get(n, e, L("expires"))) != 0) return 0;
    }
    return 1;
}

int certify_rules(const Prog *pg, int group, const Node *n) {
    View v;
    switch (group) {
    case G_NONE: return 1;
    case G_SPP_ORDER: case G_SPP_STATE: case G_SPP_PAID:
        spp_view(n, &v);
        if (group != G_SPP_STATE) {  /* WITH_PAID */
            if (!r_bin_prefix(pg, &v) || !r_paid_adds_up(pg, &v) || !r_token_type(pg, &v) || !r_instrument(pg, &v)
                || !r_token_name(pg, &v)) return 0;
        }
        if (group != G_SPP_PAID) {   /* ORDERS */
            if (!r_vat(pg, &v) || !r_remaining(pg, &v) || !r_updated(pg, &v)) return 0;
        }
        if (group == G_SPP_ORDER) {
            if (!r_paid_matches(pg, &v) || !r_ops_status(pg, &v) || !r_ops_remaining(pg, &v) || !r_sale(pg, &v)) return 0;
        }
        return r_subresource(pg, &v, group);
    case G_SPP_PROBLEM: return 1;  /* problem-status-matches-http: no HTTP exchange on this path */
    case G_PW_CHECKOUT: return r_pw_checkout(pg, n) && r_pw_expiry(pg, n);
    case G_PW_CUSTOMER: return r_pw_expiry(pg, n);
    }
    return 0;
}

const char *GROUP_RULES[G_COUNT] = {
    "",
    "spp-bin-prefix spp-vat-within-amount spp-remaining-within-amount spp-paid-amount-matches-order "
    "spp-paid-amount-adds-up spp-subresource-under-order spp-operations-fit-status spp-operations-fit-remaining "
    "spp-sale-nothing-to-capture spp-updated-after-created spp-token-type-spelling spp-instrument-spelling "
    "spp-token-name-masked",
    "spp-vat-within-amount spp-remaining-within-amount spp-subresource-under-order spp-updated-after-created",
    "spp-bin-prefix spp-paid-amount-adds-up spp-subresource-under-order spp-token-type-spelling "
    "spp-instrument-spelling spp-token-name-masked",
    "spp-problem-status-matches-http",
    "pw-balance pw-refunds-within-amount pw-status-fits-balance pw-log-order pw-status-changed-is-latest-log "
    "pw-used-card-is-saved pw-expiry-month pw-refund-reason-case",
    "pw-expiry-month",
};

