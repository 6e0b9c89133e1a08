/* Schema programs: the tri-state evaluator (valid / invalid / not sure) of the node tables program.py
 * compiles, the pattern DFAs of dfa.py, the formats, and shape detection (mirrors contracts/shape.py). */
#include "fast.h"
#include <math.h>

int in_set(const StrSet *set, const Node *nd) {
    for (uint32_t i = 0; i < set->n; i++)
        if (str_eq(set->items[i].s, set->items[i].len, nd->s, nd->count)) return 1;
    return 0;
}

int run_dfa(const Dfa *d, const Node *nd) {
    const unsigned char *p = (const unsigned char *)nd->s, *end = p + nd->count;
    int32_t state = 0;
    if (d->plen) {   /* every match starts with this literal */
        if (nd->count < d->plen || memcmp(p, d->prefix, d->plen) != 0) return 0;
        p += d->plen;
        state = d->after_prefix;
    }
    const int16_t *t = d->table;
    const uint8_t *cls = d->classes;
    const int32_t shift = d->shift, dead = d->dead;
    while (p < end) {
        const uint64_t *line = d->line[state];
        if (line[0] | line[1]) {       /* a straight run of states: check the characters, count the states */
            while (p < end && (line[0] | line[1])) {
                unsigned char c = *p;
                if (c >= 0x80 || !(line[c >> 6] >> (c & 63) & 1)) break;
                p++; state++;
                line = d->line[state];
            }
            if (p >= end) break;
        }
        unsigned char c = *p++;
        if (c >= 0x80) {
            if (c < 0xC0) continue;    /* a continuation byte: its code point was stepped at the lead byte */
            c = 128;
        }
        int32_t next = t[(state << shift) + cls[c]];
        if (next == dead) return 0;
        if (next == state) {           /* a loop ([!-~]+, [a-z]+, …): stay while the characters allow it */
            const uint64_t *loop = d->loops[state];
            while (p < end && *p < 0x80 && (loop[*p >> 6] >> (*p & 63) & 1)) p++;
        }
        state = next;
    }
    return d->accept[state];
}


/* RFC 3339 date-time with a real calendar date; 1 when certainly valid, -1 when not sure. */
static int date_time_ok(const Node *nd) {
    const char *s = nd->s;
    size_t n = nd->count, i;
    if (n < 20) return -1;
    for (i = 0; i < 19; i++) {
        char c = s[i];
        int want = (i == 4 || i == 7) ? '-' : (i == 10) ? 'T' : (i == 13 || i == 16) ? ':' : 0;
        if (want ? c != want : !is_digit(c)) return -1;
    }
    int year = num2(s) * 100 + num2(s + 2), month = num2(s + 5), day = num2(s + 8);
    int hour = num2(s + 11), minute = num2(s + 14), second = num2(s + 17);
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return -1;
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > dim[month - 1] + (month == 2 && leap)) return -1;
    i = 19;
    if (i < n && s[i] == '.') {
        i++;
        size_t f = i;
        while (i < n && is_digit(s[i])) i++;
        if (i == f || i - f > 9) return -1;
    }
    if (i < n && s[i] == 'Z') return i + 1 == n ? 1 : -1;
    if (i + 6 == n && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1]) && is_digit(s[i + 2]) && s[i + 3] == ':'
        && is_digit(s[i + 4]) && is_digit(s[i + 5]) && num2(s + i + 1) <= 23 && num2(s + i + 4) <= 59) return 1;
    return -1;
}


static unsigned char g_pchar[256];   /* RFC 3986 pchar without '%', plus '/' and '?' */

/* An http(s) URL in the plainest form (DNS host whose last label starts with a letter, port ≤ 65535, path and
 * query of RFC 3986 pchars): 1 when certainly a valid URI, -1 when not sure. */
static int uri_ok(const Node *nd) {
    const char *s = nd->s;
    size_t n = nd->count, i;
    if (n >= 8 && memcmp(s, "https://", 8) == 0) i = 8;
    else if (n >= 7 && memcmp(s, "http://", 7) == 0) i = 7;
    else return -1;
    size_t label = i;
    int label_len = 0;
    for (; i < n && s[i] != '/' && s[i] != ':' && s[i] != '?'; i++) {
        char c = s[i];
        if (c == '.') { if (label_len == 0 || s[i - 1] == '-') return -1; label = i + 1; label_len = 0; continue; }
        if (!alnum(c) && c != '-') return -1;
        if (c == '-' && label_len == 0) return -1;
        label_len++;
    }
    if (label_len == 0 || s[i - 1] == '-' || !((s[label] >= 'a' && s[label] <= 'z') || (s[label] >= 'A' && s[label] <= 'Z')))
        return -1;
    if (i < n && s[i] == ':') {
        long port = 0; size_t f = ++i;
        while (i < n && is_digit(s[i]) && i - f < 5) port = port * 10 + (s[i++] - '0');
        if (i == f || port > 65535 || (i < n && s[i] != '/' && s[i] != '?')) return -1;
    }
    for (; i < n; i++) {
        char c = s[i];
        if (g_pchar[(unsigned char)c]) continue;
        if (c == '%' && i + 2 < n && hexd(s[i + 1]) && hexd(s[i + 2])) { i += 2; continue; }
        return -1;
    }
    return 1;
}

/* A plain address: dot-atom local part of [A-Za-z0-9_%+'-] (≤ 64), a DNS domain of ≥ 2 labels (each ≤ 63,
 * letters, digits, single inner hyphens) ending in an all-letter label, ≤ 254 in all: 1 when certainly valid,
 * -1 when not sure. */
static int email_ok(const Node *nd) {
    const char *s = nd->s;
    size_t n = nd->count, i = 0, at;
    if (n > 254) return -1;
    for (at = 0; at < n && s[at] != '@'; at++) {}
    if (at == 0 || at >= n || at > 64) return -1;
    for (i = 0; i < at; i++) {
        char c = s[i];
        if (c == '.') { if (i == 0 || i + 1 == at || s[i - 1] == '.') return -1; continue; }
        if (!alnum(c) && !strchr("_%+'-", c)) return -1;
        if (c == 0) return -1;
    }
    int labels = 0, len = 0, letters_only = 1;
    for (i = at + 1; i <= n; i++) {
        char c = i < n ? s[i] : '.';
        if (c == '.') {
            if (len == 0 || len > 63 || s[i - 1] == '-') return -1;
            labels++;
            if (i == n && !letters_only) return -1;
            len = 0; letters_only = 1;
            continue;
        }
        if (!alnum(c) && c != '-') return -1;
        if (c == '-' && (len == 0 || s[i - 1] == '-')) return -1;   /* '--' marks IDNA labels (xn--): not sure */
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) letters_only = 0;
        len++;
    }
    return labels >= 2 ? 1 : -1;
}

int eval(const Prog *pg, int32_t si, const Node *nodes, uint32_t vi);

#define MERGE(x) do { int _r = (x); if (_r == 0) return 0; if (_r < 0) res = -1; } while (0)

static int enum_ok(const SNode *s, const Node *v) {
    int maybe = 0;
    for (int32_t e = 0; e < s->nenum; e++) {
        const Scalar *m = &s->en[e];
        switch (v->kind) {
        case K_NULL: if (m->kind == 0) return 1; break;
        case K_BOOL: if (m->kind == 1 && m->i == v->i) return 1; break;
        case K_INT: if (m->kind == 2 && m->i == v->i) return 1; break;
        case K_FLOAT: if (m->kind == 2) maybe = 1; break;
        case K_STRING: if (m->kind == 4 && str_eq(m->s, m->len, v->s, v->count)) return 1; break;
        default: break;
        }
    }
    return maybe ? -1 : 0;
}

static int lookup_prop(const SNode *s, const Node *k) {
    if (!s->nprops) return -1;
    uint32_t slot = (uint32_t)k->h & s->hmask;
    for (;;) {
        int32_t pi = s->htab[slot];
        if (pi < 0) return -1;
        const Key *p = &s->props[pi];
        if (p->h == k->h && p->len == k->count && same_bytes(p->s, k->s, k->count)) return pi;
        slot = (slot + 1) & s->hmask;
    }
}

int eval(const Prog *pg, int32_t si, const Node *nodes, uint32_t vi) {
    const SNode *s = &pg->nodes[si];
    const Node *v = &nodes[vi];
    int res = 1;
    if (!(s->types & (1u << v->kind))) {
        if (v->kind == K_FLOAT && (s->types & (1u << K_INT))) {
            if (v->d != floor(v->d)) return 0;
            res = -1;   /* 1.0 is an integer to the engines: leave it to them */
        } else return 0;
    }
    if (s->ref >= 0) MERGE(eval(pg, s->ref, nodes, vi));
    if (s->nenum >= 0) MERGE(enum_ok(s, v));
    switch (v->kind) {
    case K_STRING:
        if (v->cps < s->minlen) return 0;
        if (s->maxlen >= 0 && v->cps > s->maxlen) return 0;
        if (s->dfa >= 0 && !run_dfa(&pg->dfas[s->dfa], v)) return 0;
        if (s->format == 1) MERGE(date_time_ok(v));
        else if (s->format == 2) MERGE(uri_ok(v));
        else if (s->format == 3) MERGE(email_ok(v));
        else if (s->format) res = -1;
        break;
    case K_INT:
        if (s->hasmin || s->hasmax) {
            if (v->i > (1LL << 53) || v->i < -(1LL << 53)) res = -1;
            else {
                if (s->hasmin && (double)v->i < s->mn) return 0;
                if (s->hasmax && (double)v->i > s->mx) return 0;
            }
        }
        break;
    case K_FLOAT:
        if (s->hasmin && v->d < s->mn) return 0;
        if (s->hasmax && v->d > s->mx) return 0;
        break;
    case K_ARRAY: {
        if (v->count < s->minitems) return 0;
        if (s->maxitems >= 0 && v->count > s->maxitems) return 0;
        if (s->items >= 0) {
            uint32_t e = vi + 1;
            for (uint32_t k = 0; k < v->count; k++) { MERGE(eval(pg, s->items, nodes, e)); e = nodes[e].next; }
        }
        break;
    }
    case K_OBJECT: {
        if (v->count < s->minprops) return 0;
        uint8_t seen[256];
        if (s->nreq) memset(seen, 0, s->nprops < 256 ? s->nprops : 256);
        uint32_t k = vi + 1;
        if (s->addl == -1 && s->propnames < 0 && s->nprops * 4 < v->count) {
            /* a few properties of a big object (an if/then condition on one field): look them up instead */
            for (uint32_t pi = 0; pi < s->nprops; pi++) {
                const Key *p = &s->props[pi];
                int val = member(nodes, vi, p->s, p->len, p->h);
                if (pi < 256) seen[pi] = val >= 0;
                if (val >= 0) MERGE(eval(pg, p->node, nodes, (uint32_t)val));
            }
        } else for (uint32_t m = 0; m < v->count; m++) {
            const Node *key = &nodes[k];
            if (s->propnames >= 0) MERGE(eval(pg, s->propnames, nodes, k));
            int pi = lookup_prop(s, key);
            if (pi >= 0) {
                if (pi < 256) seen[pi] = 1;
                MERGE(eval(pg, s->props[pi].node, nodes, k + 1));
            } else if (s->addl == -2) return 0;
            else if (s->addl >= 0) MERGE(eval(pg, s->addl, nodes, k + 1));
            k = nodes[k + 1].next;
        }
        for (uint32_t r = 0; r < s->nreq; r++) {
            const Key *rq = &s->req[r];
            if (rq->pi >= 0 && rq->pi < 256) { if (!seen[rq->pi]) return 0; }
            else if (member(nodes, vi, rq->s, rq->len, rq->h) < 0) return 0;
        }
        for (uint32_t d = 0; d < s->ndep; d++) {
            const DepReq *dr = &s->dep[d];
            if (member(nodes, vi, dr->key.s, dr->key.len, dr->key.h) < 0) continue;
            for (uint32_t j = 0; j < dr->n; j++)
                if (member(nodes, vi, dr->keys[j].s, dr->keys[j].len, dr->keys[j].h) < 0) return 0;
        }
        break;
    }
    default: break;
    }
    for (uint32_t a = 0; a < s->nall; a++) MERGE(eval(pg, s->all[a], nodes, vi));
    if (s->nany) {
        int any = 0;
        for (uint32_t a = 0; a < s->nany && any != 1; a++) {
            int r = eval(pg, s->any[a], nodes, vi);
            if (r == 1) any = 1; else if (r < 0) any = -1;
        }
        if (any == 0) return 0;
        if (any < 0) res = -1;
    }
    if (s->not_ >= 0) {
        int r = eval(pg, s->not_, nodes, vi);
        if (r == 1) return 0;
        if (r < 0) res = -1;
    }
    if (s->if_ >= 0) {
        int r = eval(pg, s->if_, nodes, vi);
        if (r == 1) { if (s->then_ >= 0) MERGE(eval(pg, s->then_, nodes, vi)); }
        else if (r == 0) { if (s->else_ >= 0) MERGE(eval(pg, s->else_, nodes, vi)); }
        else res = -1;
    }
    return res;
}

/* mirrors shape._v3_subresource: a parent id (string) or none, one v3.1 sub-resource key holding an object */
static int v3_subresource(const Node *nodes) {
    if (has(nodes, 0, L("operations")) >= 0 || has(nodes, 0, L("paid")) >= 0) return 0;
    int p;
    if ((p = has(nodes, 0, L("paymentOrder"))) >= 0 && nodes[p].kind != K_STRING) return 0;
    if ((p = has(nodes, 0, L("paymentorder"))) >= 0 && nodes[p].kind != K_STRING) return 0;
    if ((p = has(nodes, 0, L("payment"))) >= 0 && nodes[p].kind != K_STRING) return 0;
#define SUB(k) if ((p = has(nodes, 0, L(k))) >= 0 && nodes[p].kind == K_OBJECT) return 1;
    SUB("cancelled") SUB("reversed") SUB("failed") SUB("aborted") SUB("history") SUB("financialTransactions")
    SUB("failedAttempts") SUB("postPurchaseFailedAttempts") SUB("orderItems") SUB("urls") SUB("payeeInfo") SUB("payer")
    SUB("metadata")
#undef SUB
    return 0;
}

int detect(const Node *nodes) {
    if (has(nodes, 0, L("checkout_id")) >= 0) return S_PW_CHECKOUT;
    if (has(nodes, 0, L("customer_id")) >= 0 && (has(nodes, 0, L("email")) >= 0 || has(nodes, 0, L("first_name")) >= 0
                                              || has(nodes, 0, L("savedCards")) >= 0)) return S_PW_CUSTOMER;
    /* Swedbank Pay v3.1 shapes (contracts/shape.py: SPP3_*) have no compiled program: S_NONE, the full pipeline */
    int lower = has(nodes, 0, L("paymentorder"));
    if (lower >= 0 && nodes[lower].kind != K_NULL) {
        int status_model = nodes[lower].kind == K_OBJECT && has(nodes, lower, L("status")) >= 0 && has(nodes, lower, L("state")) < 0;
        if (status_model || v3_subresource(nodes)) return S_NONE;
        return S_SPP_STATE;
    }
    int order = has(nodes, 0, L("paymentOrder"));
    if (order >= 0 && nodes[order].kind == K_OBJECT) {
        int state = has(nodes, order, L("state")) >= 0, status = has(nodes, order, L("status")) >= 0;
        if (state && !status) return S_SPP_STATE;
        if (!state && !status && has(nodes, 0, L("operations")) < 0) return S_NONE;  /* v3.1 callback */
        if (has(nodes, order, L("postPurchaseFailedAttempts")) >= 0 || has(nodes, order, L("postpurchaseFailedAttempts")) >= 0
            || has(nodes, order, L("viewableInstruments")) >= 0) return S_NONE;  /* v3.1 payment order */
        return S_SPP_ORDER;
    }
    if (v3_subresource(nodes)) return S_NONE;
    int order_is_str = order >= 0 && nodes[order].kind == K_STRING;
    if (has(nodes, 0, L("paid")) >= 0 && (order < 0 || nodes[order].kind == K_NULL || order_is_str)) return S_SPP_PAID;
    if (order_is_str && has(nodes, 0, L("operations")) >= 0) return S_SPP_STATE;
    if (has(nodes, 0, L("type")) >= 0 && has(nodes, 0, L("title")) >= 0 && (has(nodes, 0, L("status")) >= 0 || has(nodes, 0, L("detail")) >= 0))
        return has(nodes, 0, L("modification")) >= 0 ? S_NONE : S_SPP_PROBLEM;
    return S_NONE;
}

void schema_init(void) {
    for (int c = 0; c < 128; c++) g_pchar[c] = alnum((char)c) || (c && strchr("-._~!$&'()*+,;=:@/?", c));
}
