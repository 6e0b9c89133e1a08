/* The compiled fast path of `checkout-contracts validate`: certify that a JSON Lines record is *plain* —
 * well-formed JSON, no duplicate keys, no card number, valid under its schema, and quiet under every
 * cross-field rule — in one pass over its bytes, without building Python objects.
 *
 * It only ever says "certainly plain" or "not sure": every record it does not certify takes the full Python
 * pipeline (orjson, jsonschema-rs, the rules, the card-data scan), which writes the findings. So a gap here
 * costs speed, never a verdict. tests/fastpath/ hold it to that: whatever it certifies, the full pipeline
 * must find nothing in.
 *
 * Pieces: a strict RFC 8259 parser into a flat pre-order node array (strings decoded, UTF-8 checked; \u
 * escapes, exponents, numbers of 13+ digits and anything unusual make it give up); a tri-state evaluator
 * (valid / invalid / unsure) of the node tables `program.py` compiles from the schemas; the pattern DFAs of
 * `dfa.py`; certifiers for the rules in `rules/`, one function a rule, fed with the rules' own constants.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------ documents */

enum { K_NULL, K_BOOL, K_INT, K_FLOAT, K_STRING, K_ARRAY, K_OBJECT };

typedef struct {
    uint8_t kind;
    uint32_t next;     /* index just past this node's subtree */
    uint32_t count;    /* containers: members / elements; strings: bytes */
    uint32_t cps;      /* strings: code points */
    const char *s;     /* strings: the decoded bytes */
    int64_t i;         /* integers, booleans */
    double d;          /* floats */
    uint64_t h;        /* strings: hash */
} Node;

typedef struct {
    const unsigned char *p, *end;
    Node *nodes;
    size_t n, cap;
    char *buf;         /* decoded strings that had escapes (never longer than the input) */
    size_t blen;
    int depth, max_depth;
} Parser;

static Node *g_nodes = NULL;
static size_t g_cap = 0;
static uint32_t *g_mem = NULL;     /* each object's key node indexes, contiguous (the object's i is the offset) */
static size_t g_mlen = 0, g_mcap = 0;
static char *g_buf = NULL;
static size_t g_bcap = 0;

#define FAIL (-1)
#define MAX_BYTES (1 << 20)   /* bigger records, and ones with more nodes, go to the full pipeline: the */
#define MAX_NODES (1 << 16)   /* buffers below stay small whatever the input */
#define CARD_RUN 13   /* digits in a run that could be a card number: give up, the full scan decides */

/* Object keys are hashed from their length and first and last eight bytes: constant time, and a collision
 * only costs a memcmp. */
static inline uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t a = 0, b = 0;
    if (n >= 8) { memcpy(&a, s, 8); memcpy(&b, s + n - 8, 8); }
    else if (n) memcpy(&a, s, n);
    uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ (uint64_t)n;
    h ^= h >> 32; h *= 0xD6E8FEB86659FD93ULL; h ^= h >> 29;
    return h;
}

/* Equality of two names of equal length: up to 16 bytes as two words (no call into memcmp). */
static inline int same_bytes(const char *a, const char *b, size_t n) {
    if (n <= 16) {
        uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        if (n >= 8) {
            memcpy(&a0, a, 8); memcpy(&b0, b, 8);
            memcpy(&a1, a + n - 8, 8); memcpy(&b1, b + n - 8, 8);
        } else if (n) {
            memcpy(&a0, a, n); memcpy(&b0, b, n);
        }
        return a0 == b0 && a1 == b1;
    }
    return memcmp(a, b, n) == 0;
}

/* The first byte at or after p that is a quote, a backslash, a control character or not ASCII. */
static inline const unsigned char *scan_plain(const unsigned char *p, const unsigned char *end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)p);
        /* signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                 _mm_cmplt_epi8(x, space));
        int mask = _mm_movemask_epi8(m);
        if (mask) return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x80) p++;
    return p;
}

static int new_node(Parser *P) {
    if (P->n >= MAX_NODES) return FAIL;
    if (P->n == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 1024;
        Node *nodes = realloc(P->nodes, cap * sizeof(Node));
        if (!nodes) return FAIL;
        P->nodes = nodes; P->cap = cap;
    }
    return (int)P->n++;
}

static inline void skip_ws(Parser *P) {
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r')) P->p++;
}

/* What the card-data scan could report in a string (redact.find_card_numbers): a run of CARD_RUN or more
 * digits, or digit groups joined by single spaces or dashes holding CARD_RUN digits from a four-digit group on
 * (every grouping it reads — 4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3, runs of 4-4-4-4 — starts with one). A
 * superset: it ignores the scan's look-behinds, issuer ranges and the Luhn check. */
static unsigned char g_run_class[256];   /* 1 digit, 2 space / dash / dot, 0 anything else */

/* Quick filter: CARD_RUN digits among digits, spaces, dashes and dots with nothing else between them. Looks
 * at every CARD_RUN-th byte first, so text with letters goes by fast. */
static int digit_run(const unsigned char *u, size_t n) {
    size_t i = 0;
    while (i + CARD_RUN <= n) {
        size_t j = i + CARD_RUN - 1;
        if (!g_run_class[u[j]]) { i = j + 1; continue; }
        while (j > i && g_run_class[u[j - 1]]) j--;
        if (j > i) { i = j; continue; }
        int digits = 0;
        for (; j < n && g_run_class[u[j]]; j++)
            if (g_run_class[u[j]] == 1 && ++digits >= CARD_RUN) return 1;
        i = j + 1;
    }
    return 0;
}

static int card_like(const char *s, size_t n) {
    if (!digit_run((const unsigned char *)s, n)) return 0;
    int group = 0, from4 = -1;   /* digits in the current group; digits since the chain's first 4-digit group */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            if (++group >= CARD_RUN) return 1;
            continue;
        }
        if (group) {
            if (from4 < 0 && group == 4) from4 = 0;
            if (from4 >= 0 && (from4 += group) >= CARD_RUN) return 1;
            group = 0;
            if (c == ' ' || c == '-') continue;   /* the chain goes on if a digit follows */
        }
        from4 = -1;
    }
    if (group) {
        if (from4 < 0 && group == 4) from4 = 0;
        if (from4 >= 0 && from4 + group >= CARD_RUN) return 1;
    }
    return 0;
}

/* One UTF-8 sequence starting at p (first byte >= 0x80): its length, or 0 when malformed (overlong,
 * surrogate, beyond U+10FFFF, truncated). */
static inline int utf8_len(const unsigned char *p, const unsigned char *end) {
    unsigned char c = p[0];
    if (c >= 0xC2 && c <= 0xDF) {
        if (end - p < 2 || (p[1] & 0xC0) != 0x80) return 0;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0;
        if (c == 0xED && p[1] >= 0xA0) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0;
        if (c == 0xF4 && p[1] >= 0x90) return 0;
        return 4;
    }
    return 0;
}

static int parse_string(Parser *P, int idx, int is_key) {
    /* P->p is just past the opening quote */
    const unsigned char *start = P->p, *p = P->p, *end = P->end;
    uint32_t cps = 0;
    while (p < end) {
        const unsigned char *q = scan_plain(p, end);
        cps += (uint32_t)(q - p);
        p = q;
        if (p >= end) break;
        unsigned char c = *p;
        if (c == '"') break;
        if (c == '\\') goto escaped;
        if (c < 0x20) return FAIL;
        int k = utf8_len(p, end);
        if (!k) return FAIL;
        p += k; cps++;
    }
    if (p >= end) return FAIL;
    {
        Node *nd = &P->nodes[idx];
        nd->kind = K_STRING; nd->s = (const char *)start; nd->count = (uint32_t)(p - start); nd->cps = cps;
        nd->next = idx + 1;
        P->p = p + 1;
        if (nd->count >= CARD_RUN && card_like(nd->s, nd->count)) return FAIL;
        if (is_key) nd->h = hash_bytes(nd->s, nd->count);
        return 0;
    }
escaped:
    {
        char *out = P->buf + P->blen, *o = out;
        memcpy(o, start, p - start);
        o += p - start;
        while (p < end) {
            unsigned char c = *p;
            if (c == '"') break;
            if (c == '\\') {
                if (p + 1 >= end) return FAIL;
                unsigned char e = p[1];
                char v;
                switch (e) {
                case '"': v = '"'; break;
                case '\\': v = '\\'; break;
                case '/': v = '/'; break;
                case 'b': v = '\b'; break;
                case 'f': v = '\f'; break;
                case 'n': v = '\n'; break;
                case 'r': v = '\r'; break;
                case 't': v = '\t'; break;
                default: return FAIL;   /* \u (and anything invalid): the full pipeline decodes it */
                }
                *o++ = v; p += 2; cps++;
                continue;
            }
            if (c < 0x20) return FAIL;
            if (c < 0x80) { *o++ = (char)c; p++; cps++; continue; }
            int k = utf8_len(p, end);
            if (!k) return FAIL;
            memcpy(o, p, k); o += k; p += k; cps++;
        }
        if (p >= end) return FAIL;
        Node *nd = &P->nodes[idx];
        nd->kind = K_STRING; nd->s = out; nd->count = (uint32_t)(o - out); nd->cps = cps; nd->next = idx + 1;
        P->blen += o - out;
        P->p = p + 1;
        if (nd->count >= CARD_RUN && card_like(nd->s, nd->count)) return FAIL;
        if (is_key) nd->h = hash_bytes(nd->s, nd->count);
        return 0;
    }
}

static int parse_number(Parser *P, int idx) {
    const unsigned char *p = P->p, *end = P->end, *start = p;
    int neg = 0, digits = 0, frac = 0;
    int64_t v = 0;
    if (*p == '-') { neg = 1; p++; }
    if (p >= end || *p < '0' || *p > '9') return FAIL;
    if (*p == '0') { p++; digits = 1; if (p < end && *p >= '0' && *p <= '9') return FAIL; }
    else while (p < end && *p >= '0' && *p <= '9') { v = v * 10 + (*p - '0'); p++; if (++digits >= CARD_RUN) return FAIL; }
    if (p < end && *p == '.') {
        frac = 1; p++;
        if (p >= end || *p < '0' || *p > '9') return FAIL;
        while (p < end && *p >= '0' && *p <= '9') { p++; if (++digits >= CARD_RUN) return FAIL; }
    }
    if (p < end && (*p == 'e' || *p == 'E')) return FAIL;  /* exponents: rare, left to the full pipeline */
    Node *nd = &P->nodes[idx];
    nd->next = idx + 1;
    if (frac) {
        char tmp[40];
        size_t len = p - start;
        if (len >= sizeof tmp) return FAIL;
        memcpy(tmp, start, len); tmp[len] = 0;
        nd->kind = K_FLOAT; nd->d = strtod(tmp, NULL);
    } else {
        nd->kind = K_INT; nd->i = neg ? -v : v;
    }
    P->p = p;
    return 0;
}

static int parse_value(Parser *P);

static int parse_container(Parser *P, int idx, int object) {
    if (++P->depth > P->max_depth) return FAIL;
    uint32_t count = 0;
    uint32_t keys[64];
    P->p++;
    skip_ws(P);
    unsigned char close = object ? '}' : ']';
    if (P->p < P->end && *P->p == close) { P->p++; goto done; }
    for (;;) {
        if (object) {
            if (P->p >= P->end || *P->p != '"') return FAIL;
            P->p++;
            int k = new_node(P);
            if (k < 0 || parse_string(P, k, 1) < 0) return FAIL;
            if (count >= 64) return FAIL;
            const Node *key = &P->nodes[k];
            for (uint32_t j = 0; j < count; j++) {  /* a repeated name: the full pipeline reports it */
                const Node *o = &P->nodes[keys[j]];
                if (o->h == key->h && o->count == key->count && same_bytes(o->s, key->s, key->count)) return FAIL;
            }
            keys[count] = (uint32_t)k;
            skip_ws(P);
            if (P->p >= P->end || *P->p != ':') return FAIL;
            P->p++;
            skip_ws(P);
        }
        if (parse_value(P) < 0) return FAIL;
        count++;
        skip_ws(P);
        if (P->p >= P->end) return FAIL;
        if (*P->p == ',') { P->p++; skip_ws(P); continue; }
        if (*P->p == close) { P->p++; break; }
        return FAIL;
    }
done:
    P->depth--;
    if (object) {
        if (g_mlen + count > g_mcap) {
            size_t cap = g_mcap ? g_mcap * 2 : 4096;
            while (cap < g_mlen + count) cap *= 2;
            uint32_t *mem = realloc(g_mem, cap * sizeof(uint32_t));
            if (!mem) return FAIL;
            g_mem = mem; g_mcap = cap;
        }
        memcpy(g_mem + g_mlen, keys, count * sizeof(uint32_t));
        P->nodes[idx].i = (int64_t)g_mlen;
        g_mlen += count;
    }
    P->nodes[idx].kind = object ? K_OBJECT : K_ARRAY;
    P->nodes[idx].count = count;
    P->nodes[idx].next = (uint32_t)P->n;
    return 0;
}

static int parse_value(Parser *P) {
    if (P->p >= P->end) return FAIL;
    int idx = new_node(P);
    if (idx < 0) return FAIL;
    unsigned char c = *P->p;
    Node *nd = &P->nodes[idx];
    switch (c) {
    case '{': return parse_container(P, idx, 1);
    case '[': return parse_container(P, idx, 0);
    case '"': P->p++; return parse_string(P, idx, 0);
    case 't':
        if (P->end - P->p < 4 || memcmp(P->p, "true", 4)) return FAIL;
        nd->kind = K_BOOL; nd->i = 1; nd->next = idx + 1; P->p += 4; return 0;
    case 'f':
        if (P->end - P->p < 5 || memcmp(P->p, "false", 5)) return FAIL;
        nd->kind = K_BOOL; nd->i = 0; nd->next = idx + 1; P->p += 5; return 0;
    case 'n':
        if (P->end - P->p < 4 || memcmp(P->p, "null", 4)) return FAIL;
        nd->kind = K_NULL; nd->next = idx + 1; P->p += 4; return 0;
    default:
        return parse_number(P, idx);
    }
}

/* Parse one document; 0 when it is a well-formed JSON object we can judge. */
static int parse_doc(Parser *P, const unsigned char *data, size_t len, int max_depth) {
    if (len > MAX_BYTES) return FAIL;
    if (g_bcap < len + 1) {
        char *b = realloc(g_buf, len + 1);
        if (!b) return FAIL;
        g_buf = b; g_bcap = len + 1;
    }
    P->p = data; P->end = data + len;
    P->nodes = g_nodes; P->cap = g_cap; P->n = 0;
    P->buf = g_buf; P->blen = 0;
    P->depth = 0; P->max_depth = max_depth;
    g_mlen = 0;
    skip_ws(P);
    int ok = (P->p < P->end && *P->p == '{') ? parse_value(P) : FAIL;
    g_nodes = P->nodes; g_cap = P->cap;
    if (ok < 0) return FAIL;
    skip_ws(P);
    return P->p == P->end ? 0 : FAIL;
}

/* A literal object key with its hash, computed once per call site (GNU statement expression). */
typedef struct { const char *s; uint32_t len; uint64_t h; int ready; } Lit;
#define L(str) ({ static Lit _lit = {str, sizeof(str) - 1, 0, 0}; \
                  if (!_lit.ready) { _lit.h = hash_bytes(str, sizeof(str) - 1); _lit.ready = 1; } &_lit; })

/* Members of an object node: key at i, value at i + 1 (the object's key indexes are in g_mem). */
static int member(const Node *nodes, uint32_t obj, const char *key, size_t len, uint64_t h) {
    if (nodes[obj].kind != K_OBJECT) return -1;
    const uint32_t *keys = g_mem + nodes[obj].i;
    for (uint32_t m = 0; m < nodes[obj].count; m++) {
        const Node *k = &nodes[keys[m]];
        if (k->h == h && k->count == len && same_bytes(k->s, key, len)) return (int)(keys[m] + 1);
    }
    return -1;
}

/* ------------------------------------------------------------------ schema programs */

typedef struct { const char *s; uint32_t len; uint64_t h; int32_t node; int32_t pi; } Key;
typedef struct { uint8_t kind; int64_t i; const char *s; uint32_t len; } Scalar;
typedef struct { Key key; uint32_t n; Key *keys; } DepReq;
typedef struct {
    uint32_t types; int32_t ref;
    uint32_t nprops; Key *props; uint32_t hmask; int32_t *htab;
    uint32_t nreq; Key *req;
    int32_t addl, propnames; uint32_t minprops;
    uint32_t ndep; DepReq *dep;
    uint32_t minlen; int64_t maxlen; int32_t dfa, format;
    int32_t nenum; Scalar *en;
    int hasmin, hasmax; double mn, mx;
    int32_t items; uint32_t minitems; int64_t maxitems;
    int32_t not_, if_, then_, else_;
    uint32_t nall; int32_t *all; uint32_t nany; int32_t *any;
} SNode;

typedef struct {
    const uint8_t *classes;    /* 129 symbols → column */
    const int16_t *table;      /* next state: row (state << shift) + column */
    const uint8_t *accept;
    int32_t dead, shift, after_prefix;
    uint32_t nstates, plen;
    const char *prefix;
    uint64_t (*loops)[2];      /* per state: the ASCII characters that lead back to it (skipped in a tight loop) */
    uint64_t (*line)[2];       /* per state: the ASCII characters that lead on to state + 1, when nothing else
                                * leads anywhere but to the dead state (a run like [0-9a-f]{8}: checked without
                                * a table lookup a character) */
} Dfa;
typedef struct { const char *s; uint32_t len; uint64_t h; } Str;
typedef struct { uint32_t n; Str *items; } StrSet;

enum { G_NONE, G_SPP_ORDER, G_SPP_STATE, G_SPP_PAID, G_SPP_PROBLEM, G_PW_CHECKOUT, G_PW_CUSTOMER, G_COUNT };

typedef struct {
    PyObject *keep;          /* the Python objects whose buffers the tables point into */
    SNode *nodes; uint32_t nnodes;
    Dfa *dfas; uint32_t ndfas;
    uint32_t nschemas; int32_t *roots; int32_t *groups;   /* per fast-schema index */
    int32_t shape_schema[8];                                /* shape code → fast-schema index or -1 */
    /* rule constants */
    StrSet not_offered_status;   /* statuses with a ban list, and the bans per status */
    StrSet *not_offered;
    StrSet capture, cancel, subs, canon_token, reasons;
} Prog;

static inline int str_eq(const char *a, size_t alen, const char *b, size_t blen) {
    return alen == blen && memcmp(a, b, alen) == 0;
}

static int in_set(const StrSet *set, const Node *nd) {
    for (uint32_t i = 0; i < set->n; i++)
        if (str_eq(set->items[i].s, set->items[i].len, nd->s, nd->count)) return 1;
    return 0;
}

static int run_dfa(const Dfa *d, const Node *nd) {
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

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int num2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

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

static inline int alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int hexd(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

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
 * letters, digits, inner hyphens) ending in an all-letter label, ≤ 254 in all: 1 when certainly valid, -1 when
 * not sure. */
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
        if (c == '-' && len == 0) return -1;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) letters_only = 0;
        len++;
    }
    return labels >= 2 ? 1 : -1;
}

static int eval(const Prog *pg, int32_t si, const Node *nodes, uint32_t vi);

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

static int eval(const Prog *pg, int32_t si, const Node *nodes, uint32_t vi) {
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
        for (uint32_t m = 0; m < v->count; m++) {
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

/* ------------------------------------------------------------------ shapes (mirrors contracts/shape.py) */

enum { S_NONE = -1, S_PW_CHECKOUT, S_PW_CUSTOMER, S_SPP_ORDER, S_SPP_STATE, S_SPP_PAID, S_SPP_PROBLEM };

static inline int has(const Node *nodes, uint32_t obj, const Lit *key) {
    return member(nodes, obj, key->s, key->len, key->h);
}

static int detect(const Node *nodes) {
    if (has(nodes, 0, L("checkout_id")) >= 0) return S_PW_CHECKOUT;
    if (has(nodes, 0, L("customer_id")) >= 0 && (has(nodes, 0, L("email")) >= 0 || has(nodes, 0, L("first_name")) >= 0
                                              || has(nodes, 0, L("savedCards")) >= 0)) return S_PW_CUSTOMER;
    int lower = has(nodes, 0, L("paymentorder"));
    if (lower >= 0 && nodes[lower].kind != K_NULL) {
        int status_model = nodes[lower].kind == K_OBJECT && has(nodes, lower, L("status")) >= 0 && has(nodes, lower, L("state")) < 0;
        return status_model ? S_SPP_ORDER : S_SPP_STATE;
    }
    int order = has(nodes, 0, L("paymentOrder"));
    if (order >= 0 && nodes[order].kind == K_OBJECT)
        return has(nodes, order, L("state")) >= 0 && has(nodes, order, L("status")) < 0 ? S_SPP_STATE : S_SPP_ORDER;
    int order_is_str = order >= 0 && nodes[order].kind == K_STRING;
    if (has(nodes, 0, L("paid")) >= 0 && (order < 0 || nodes[order].kind == K_NULL || order_is_str)) return S_SPP_PAID;
    if (order_is_str && has(nodes, 0, L("operations")) >= 0) return S_SPP_STATE;
    if (has(nodes, 0, L("type")) >= 0 && has(nodes, 0, L("title")) >= 0 && (has(nodes, 0, L("status")) >= 0 || has(nodes, 0, L("detail")) >= 0))
        return S_SPP_PROBLEM;
    return S_NONE;
}

/* ------------------------------------------------------------------ rule certifiers
 * Each returns 1 when its rule (contracts/rules/) certainly finds nothing, 0 otherwise. They read the
 * same View the Python rules build. Where a Python rule would compare values of unexpected types (and so
 * might raise), the certifier says 0. */

typedef struct {
    const Node *n;
    int order, paid, details, tokens, ops;   /* node indexes or -1 */
} View;

static inline int get(const Node *nodes, int obj, const Lit *key) {
    return obj < 0 ? -1 : has(nodes, (uint32_t)obj, key);
}
static inline int get_kind(const Node *nodes, int obj, const Lit *key, int kind) {
    int i = get(nodes, obj, key);
    return i >= 0 && nodes[i].kind == kind ? i : -1;
}
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

static int ival(const Node *n, int i, int64_t *out) {
    if (i >= 0 && n[i].kind == K_INT) { *out = n[i].i; return 1; }
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
    return 0;   /* other zones or precisions: Python converts them */
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
            if (c >= 0x80 || c == '\n') return 0;   /* Python's re and str.isdigit see more: leave it to them */
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

static int certify_rules(const Prog *pg, int group, const Node *n) {
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

static const char *GROUP_RULES[G_COUNT] = {
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

/* ------------------------------------------------------------------ one record */

enum { R_PLAIN = 0, R_PARSE = 1, R_SHAPE = 2, R_SCHEMA = 3, R_RULES = 4 };

/* The fast-schema index of a certified record, or -(reason) when not certified. */
static int certify(const Prog *pg, const unsigned char *data, size_t len, int schema, int rules_on, int max_depth) {
    Parser P;
    if (parse_doc(&P, data, len, max_depth) < 0) return -R_PARSE;
    const Node *nodes = P.nodes;
    if (schema < 0) {
        int shape = detect(nodes);
        schema = shape < 0 ? -1 : pg->shape_schema[shape];
        if (schema < 0) return -R_SHAPE;
    }
    if (eval(pg, pg->roots[schema], nodes, 0) != 1) return -R_SCHEMA;
    if (rules_on && !certify_rules(pg, pg->groups[schema], nodes)) return -R_RULES;
    return schema;
}

/* ------------------------------------------------------------------ building a program from Python */

static void prog_free(Prog *pg) {
    if (!pg) return;
    if (pg->nodes) {
        for (uint32_t i = 0; i < pg->nnodes; i++) {
            SNode *s = &pg->nodes[i];
            free(s->props); free(s->htab); free(s->req); free(s->en); free(s->all); free(s->any);
            if (s->dep) { for (uint32_t d = 0; d < s->ndep; d++) free(s->dep[d].keys); free(s->dep); }
        }
        free(pg->nodes);
    }
    if (pg->dfas) { for (uint32_t i = 0; i < pg->ndfas; i++) { free(pg->dfas[i].loops); free(pg->dfas[i].line); } }
    free(pg->dfas); free(pg->roots); free(pg->groups);
    if (pg->not_offered) { for (uint32_t i = 0; i < pg->not_offered_status.n; i++) free(pg->not_offered[i].items); }
    free(pg->not_offered); free(pg->not_offered_status.items);
    free(pg->capture.items); free(pg->cancel.items); free(pg->subs.items); free(pg->canon_token.items);
    free(pg->reasons.items);
    Py_XDECREF(pg->keep);
    free(pg);
}

static void capsule_free(PyObject *cap) { prog_free(PyCapsule_GetPointer(cap, "contracts.fastpath.Prog")); }

static int key_from(PyObject *b, Key *k) {
    char *s; Py_ssize_t n;
    if (PyBytes_AsStringAndSize(b, &s, &n) < 0) return -1;
    k->s = s; k->len = (uint32_t)n; k->h = hash_bytes(s, n); k->node = -1; k->pi = -1;
    return 0;
}

static int strset_from(PyObject *seq, StrSet *set) {
    PyObject *fast = PySequence_Fast(seq, "expected a sequence of bytes");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    set->n = (uint32_t)n;
    set->items = calloc(n ? n : 1, sizeof(Str));
    for (Py_ssize_t i = 0; i < n; i++) {
        char *s; Py_ssize_t len;
        if (PyBytes_AsStringAndSize(PySequence_Fast_GET_ITEM(fast, i), &s, &len) < 0) { Py_DECREF(fast); return -1; }
        set->items[i].s = s; set->items[i].len = (uint32_t)len; set->items[i].h = hash_bytes(s, len);
    }
    Py_DECREF(fast);
    return 0;
}

static int32_t as_i32(PyObject *o) { return (int32_t)PyLong_AsLong(o); }

static int node_from(PyObject *t, SNode *s, uint32_t nnodes) {
    /* program.NODE_FIELDS order */
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 24) { PyErr_SetString(PyExc_ValueError, "bad node"); return -1; }
#define F(i) PyTuple_GET_ITEM(t, i)
    memset(s, 0, sizeof *s);
    s->types = (uint32_t)PyLong_AsLong(F(0));
    s->ref = as_i32(F(1));
    PyObject *props = F(2);
    s->nprops = (uint32_t)PyTuple_GET_SIZE(props);
    if (s->nprops) {
        s->props = calloc(s->nprops, sizeof(Key));
        uint32_t size = 4;
        while (size < s->nprops * 2) size <<= 1;
        s->hmask = size - 1;
        s->htab = malloc(size * sizeof(int32_t));
        for (uint32_t i = 0; i < size; i++) s->htab[i] = -1;
        for (uint32_t i = 0; i < s->nprops; i++) {
            PyObject *p = PyTuple_GET_ITEM(props, i);
            if (key_from(PyTuple_GET_ITEM(p, 0), &s->props[i]) < 0) return -1;
            s->props[i].node = as_i32(PyTuple_GET_ITEM(p, 1));
            uint32_t slot = (uint32_t)s->props[i].h & s->hmask;
            while (s->htab[slot] >= 0) slot = (slot + 1) & s->hmask;
            s->htab[slot] = (int32_t)i;
        }
    }
    PyObject *req = F(3);
    s->nreq = (uint32_t)PyTuple_GET_SIZE(req);
    s->req = calloc(s->nreq ? s->nreq : 1, sizeof(Key));
    for (uint32_t i = 0; i < s->nreq; i++) {
        if (key_from(PyTuple_GET_ITEM(req, i), &s->req[i]) < 0) return -1;
        for (uint32_t j = 0; j < s->nprops; j++)
            if (s->props[j].h == s->req[i].h && str_eq(s->props[j].s, s->props[j].len, s->req[i].s, s->req[i].len))
                s->req[i].pi = (int32_t)j;
    }
    s->addl = as_i32(F(4));
    s->propnames = as_i32(F(5));
    s->minprops = (uint32_t)PyLong_AsLong(F(6));
    PyObject *dep = F(7);
    s->ndep = (uint32_t)PyTuple_GET_SIZE(dep);
    if (s->ndep) {
        s->dep = calloc(s->ndep, sizeof(DepReq));
        for (uint32_t i = 0; i < s->ndep; i++) {
            PyObject *d = PyTuple_GET_ITEM(dep, i), *keys = PyTuple_GET_ITEM(d, 1);
            if (key_from(PyTuple_GET_ITEM(d, 0), &s->dep[i].key) < 0) return -1;
            s->dep[i].n = (uint32_t)PyTuple_GET_SIZE(keys);
            s->dep[i].keys = calloc(s->dep[i].n ? s->dep[i].n : 1, sizeof(Key));
            for (uint32_t j = 0; j < s->dep[i].n; j++)
                if (key_from(PyTuple_GET_ITEM(keys, j), &s->dep[i].keys[j]) < 0) return -1;
        }
    }
    s->minlen = (uint32_t)PyLong_AsLong(F(8));
    s->maxlen = PyLong_AsLongLong(F(9));
    s->dfa = as_i32(F(10));
    s->format = as_i32(F(11));
    PyObject *en = F(12);
    s->nenum = -1;
    if (en != Py_None) {
        s->nenum = (int32_t)PyTuple_GET_SIZE(en);
        s->en = calloc(s->nenum ? s->nenum : 1, sizeof(Scalar));
        for (int32_t i = 0; i < s->nenum; i++) {
            PyObject *m = PyTuple_GET_ITEM(en, i);
            s->en[i].kind = (uint8_t)PyLong_AsLong(PyTuple_GET_ITEM(m, 0));
            PyObject *payload = PyTuple_GET_ITEM(m, 1);
            if (s->en[i].kind == 4) {
                char *str; Py_ssize_t len;
                if (PyBytes_AsStringAndSize(payload, &str, &len) < 0) return -1;
                s->en[i].s = str; s->en[i].len = (uint32_t)len;
            } else s->en[i].i = PyLong_AsLongLong(payload);
        }
    }
    if (F(13) != Py_None) { s->hasmin = 1; s->mn = PyFloat_AsDouble(F(13)); }
    if (F(14) != Py_None) { s->hasmax = 1; s->mx = PyFloat_AsDouble(F(14)); }
    s->items = as_i32(F(15));
    s->minitems = (uint32_t)PyLong_AsLong(F(16));
    s->maxitems = PyLong_AsLongLong(F(17));
    s->not_ = as_i32(F(18)); s->if_ = as_i32(F(19)); s->then_ = as_i32(F(20)); s->else_ = as_i32(F(21));
    PyObject *all = F(22), *any = F(23);
    s->nall = (uint32_t)PyTuple_GET_SIZE(all);
    s->all = calloc(s->nall ? s->nall : 1, sizeof(int32_t));
    for (uint32_t i = 0; i < s->nall; i++) s->all[i] = as_i32(PyTuple_GET_ITEM(all, i));
    s->nany = (uint32_t)PyTuple_GET_SIZE(any);
    s->any = calloc(s->nany ? s->nany : 1, sizeof(int32_t));
    for (uint32_t i = 0; i < s->nany; i++) s->any[i] = as_i32(PyTuple_GET_ITEM(any, i));
#undef F
    int32_t refs[] = {s->ref, s->addl, s->propnames, s->items, s->not_, s->if_, s->then_, s->else_};
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        if (refs[i] >= (int32_t)nnodes) { PyErr_SetString(PyExc_ValueError, "node index out of range"); return -1; }
    for (uint32_t i = 0; i < s->nprops; i++)
        if (s->props[i].node < 0 || s->props[i].node >= (int32_t)nnodes) { PyErr_SetString(PyExc_ValueError, "bad prop"); return -1; }
    for (uint32_t i = 0; i < s->nall; i++) if (s->all[i] < 0 || s->all[i] >= (int32_t)nnodes) { PyErr_SetString(PyExc_ValueError, "bad allOf"); return -1; }
    for (uint32_t i = 0; i < s->nany; i++) if (s->any[i] < 0 || s->any[i] >= (int32_t)nnodes) { PyErr_SetString(PyExc_ValueError, "bad anyOf"); return -1; }
    return PyErr_Occurred() ? -1 : 0;
}

/* build(nodes, dfas, roots, groups, shape_schema, consts) -> capsule
 *   nodes: tuple of node tuples; dfas: tuple of (table bytes, accept bytes, dead);
 *   roots/groups: tuples of ints per fast-schema index; shape_schema: tuple of 6 ints;
 *   consts: (not_offered ((status, (rel, ...)), ...), capture, cancel, subs, canon_token, reasons) as bytes */
static PyObject *py_build(PyObject *self, PyObject *args) {
    PyObject *nodes, *dfas, *roots, *groups, *shapes, *consts;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!", &PyTuple_Type, &nodes, &PyTuple_Type, &dfas, &PyTuple_Type, &roots,
                          &PyTuple_Type, &groups, &PyTuple_Type, &shapes, &PyTuple_Type, &consts)) return NULL;
    Prog *pg = calloc(1, sizeof(Prog));
    if (!pg) return PyErr_NoMemory();
    pg->keep = Py_BuildValue("(OOO)", nodes, dfas, consts);
    pg->nnodes = (uint32_t)PyTuple_GET_SIZE(nodes);
    pg->nodes = calloc(pg->nnodes ? pg->nnodes : 1, sizeof(SNode));
    for (uint32_t i = 0; i < pg->nnodes; i++)
        if (node_from(PyTuple_GET_ITEM(nodes, i), &pg->nodes[i], pg->nnodes) < 0) goto fail;
    pg->ndfas = (uint32_t)PyTuple_GET_SIZE(dfas);
    pg->dfas = calloc(pg->ndfas ? pg->ndfas : 1, sizeof(Dfa));
    for (uint32_t i = 0; i < pg->ndfas; i++) {
        PyObject *d = PyTuple_GET_ITEM(dfas, i);
        /* dfa.compact: (classes, table, accepting, dead, prefix, after_prefix) */
        char *classes, *table, *accept, *prefix; Py_ssize_t clen, tlen, alen, plen;
        if (!PyTuple_Check(d) || PyTuple_GET_SIZE(d) != 6) { PyErr_SetString(PyExc_ValueError, "bad dfa"); goto fail; }
        if (PyBytes_AsStringAndSize(PyTuple_GET_ITEM(d, 0), &classes, &clen) < 0
            || PyBytes_AsStringAndSize(PyTuple_GET_ITEM(d, 1), &table, &tlen) < 0
            || PyBytes_AsStringAndSize(PyTuple_GET_ITEM(d, 2), &accept, &alen) < 0
            || PyBytes_AsStringAndSize(PyTuple_GET_ITEM(d, 4), &prefix, &plen) < 0) goto fail;
        Dfa *D = &pg->dfas[i];
        int width = 0, shift = 0;
        for (Py_ssize_t j = 0; j < clen; j++) if ((uint8_t)classes[j] + 1 > width) width = (uint8_t)classes[j] + 1;
        while ((1 << shift) < width) shift++;
        if (clen != 129 || alen < 1 || tlen != (alen << shift) * 2) { PyErr_SetString(PyExc_ValueError, "bad dfa"); goto fail; }
        D->classes = (const uint8_t *)classes; D->table = (const int16_t *)table; D->accept = (const uint8_t *)accept;
        D->nstates = (uint32_t)alen; D->shift = shift;
        D->dead = as_i32(PyTuple_GET_ITEM(d, 3));
        D->prefix = prefix; D->plen = (uint32_t)plen;
        D->after_prefix = as_i32(PyTuple_GET_ITEM(d, 5));
        if (D->after_prefix < 0 || D->after_prefix >= alen) { PyErr_SetString(PyExc_ValueError, "bad dfa prefix"); goto fail; }
        for (Py_ssize_t j = 0; j < tlen / 2; j++)
            if (D->table[j] < 0 || D->table[j] >= alen) { PyErr_SetString(PyExc_ValueError, "bad dfa state"); goto fail; }
        if (D->dead >= alen) { PyErr_SetString(PyExc_ValueError, "bad dead state"); goto fail; }
        D->loops = calloc(alen, sizeof *D->loops);
        D->line = calloc(alen + 1, sizeof *D->line);   /* + 1: the run loop looks one state past the last */
        if (!D->loops || !D->line) { PyErr_NoMemory(); goto fail; }
        for (Py_ssize_t st = 0; st < alen; st++) {
            const int16_t *row = D->table + (st << shift);
            int straight = D->dead >= 0 && st + 1 < alen && row[(uint8_t)classes[128]] == D->dead;
            for (int c = 0; c < 128; c++) {
                int16_t next = row[(uint8_t)classes[c]];
                if (next == st) D->loops[st][c >> 6] |= 1ULL << (c & 63);
                if (next == st + 1) D->line[st][c >> 6] |= 1ULL << (c & 63);
                else if (next != D->dead) straight = 0;
            }
            if (!straight) D->line[st][0] = D->line[st][1] = 0;
        }
    }
    for (uint32_t i = 0; i < pg->nnodes; i++)
        if (pg->nodes[i].dfa >= (int32_t)pg->ndfas) { PyErr_SetString(PyExc_ValueError, "bad dfa index"); goto fail; }
    pg->nschemas = (uint32_t)PyTuple_GET_SIZE(roots);
    if (PyTuple_GET_SIZE(groups) != (Py_ssize_t)pg->nschemas || PyTuple_GET_SIZE(shapes) != 6) {
        PyErr_SetString(PyExc_ValueError, "bad roots/groups/shapes"); goto fail;
    }
    pg->roots = calloc(pg->nschemas ? pg->nschemas : 1, sizeof(int32_t));
    pg->groups = calloc(pg->nschemas ? pg->nschemas : 1, sizeof(int32_t));
    for (uint32_t i = 0; i < pg->nschemas; i++) {
        pg->roots[i] = as_i32(PyTuple_GET_ITEM(roots, i));
        pg->groups[i] = as_i32(PyTuple_GET_ITEM(groups, i));
        if (pg->roots[i] < 0 || pg->roots[i] >= (int32_t)pg->nnodes || pg->groups[i] < 0 || pg->groups[i] >= G_COUNT) {
            PyErr_SetString(PyExc_ValueError, "bad root or group"); goto fail;
        }
    }
    for (int i = 0; i < 6; i++) {
        pg->shape_schema[i] = as_i32(PyTuple_GET_ITEM(shapes, i));
        if (pg->shape_schema[i] >= (int32_t)pg->nschemas) { PyErr_SetString(PyExc_ValueError, "bad shape"); goto fail; }
    }
    if (PyTuple_GET_SIZE(consts) != 6) { PyErr_SetString(PyExc_ValueError, "bad consts"); goto fail; }
    {
        PyObject *no = PyTuple_GET_ITEM(consts, 0);
        uint32_t n = (uint32_t)PyTuple_GET_SIZE(no);
        pg->not_offered_status.n = n;
        pg->not_offered_status.items = calloc(n ? n : 1, sizeof(Str));
        pg->not_offered = calloc(n ? n : 1, sizeof(StrSet));
        for (uint32_t i = 0; i < n; i++) {
            PyObject *pair = PyTuple_GET_ITEM(no, i);
            char *s; Py_ssize_t len;
            if (PyBytes_AsStringAndSize(PyTuple_GET_ITEM(pair, 0), &s, &len) < 0) goto fail;
            pg->not_offered_status.items[i].s = s; pg->not_offered_status.items[i].len = (uint32_t)len;
            if (strset_from(PyTuple_GET_ITEM(pair, 1), &pg->not_offered[i]) < 0) goto fail;
        }
        if (strset_from(PyTuple_GET_ITEM(consts, 1), &pg->capture) < 0 || strset_from(PyTuple_GET_ITEM(consts, 2), &pg->cancel) < 0
            || strset_from(PyTuple_GET_ITEM(consts, 3), &pg->subs) < 0 || strset_from(PyTuple_GET_ITEM(consts, 4), &pg->canon_token) < 0
            || strset_from(PyTuple_GET_ITEM(consts, 5), &pg->reasons) < 0) goto fail;
    }
    if (PyErr_Occurred()) goto fail;
    return PyCapsule_New(pg, "contracts.fastpath.Prog", capsule_free);
fail:
    prog_free(pg);
    return NULL;
}

static Prog *prog_of(PyObject *cap) { return PyCapsule_GetPointer(cap, "contracts.fastpath.Prog"); }

/* certify(prog, data, schema, rules_on, max_depth) -> fast-schema index, or -reason */
static PyObject *py_certify(PyObject *self, PyObject *args) {
    PyObject *cap; Py_buffer buf; int schema, rules_on, max_depth;
    if (!PyArg_ParseTuple(args, "Oy*iii", &cap, &buf, &schema, &rules_on, &max_depth)) return NULL;
    Prog *pg = prog_of(cap);
    if (!pg) { PyBuffer_Release(&buf); return NULL; }
    if (schema >= (int)pg->nschemas) { PyBuffer_Release(&buf); PyErr_SetString(PyExc_ValueError, "bad schema"); return NULL; }
    int r = certify(pg, buf.buf, (size_t)buf.len, schema, rules_on, max_depth);
    PyBuffer_Release(&buf);
    return PyLong_FromLong(r);
}

/* certify_block(prog, data, first, bom, schema, rules_on, max_depth, max_bytes)
 *   -> (numbers: bytes of int64, schemas: bytes, slow: list of (plain_before, number, start, end), newlines)
 * Lines as io.BytesIO iterates them (split after b"\n"); a UTF-8 BOM stripped from the first when ``bom``;
 * lines of whitespace only (bytes.isspace) skipped. */
static PyObject *py_certify_block(PyObject *self, PyObject *args) {
    PyObject *cap; Py_buffer buf; long long first; int bom, schema, rules_on, max_depth; Py_ssize_t max_bytes;
    if (!PyArg_ParseTuple(args, "Oy*Liiiin", &cap, &buf, &first, &bom, &schema, &rules_on, &max_depth, &max_bytes))
        return NULL;
    Prog *pg = prog_of(cap);
    if (!pg || schema >= (int)pg->nschemas) {
        PyBuffer_Release(&buf);
        if (pg) PyErr_SetString(PyExc_ValueError, "bad schema");
        return NULL;
    }
    const unsigned char *data = buf.buf, *end = data + buf.len, *p = data;
    size_t cap_n = 1024, n = 0;
    int64_t *numbers = malloc(cap_n * sizeof(int64_t));
    unsigned char *schemas = malloc(cap_n);
    PyObject *slow = PyList_New(0);
    if (!numbers || !schemas || !slow) goto oom;
    long long number = first, newlines = 0;
    for (; p < end; number++) {
        const unsigned char *nl = memchr(p, '\n', end - p);
        const unsigned char *line_end = nl ? nl + 1 : end, *s = p;
        newlines += nl != NULL;
        if (bom && number == first && line_end - s >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) s += 3;
        const unsigned char *q = s;
        while (q < line_end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == 0x0b || *q == 0x0c)) q++;
        if (q == line_end && s < line_end) { p = line_end; continue; }   /* blank */
        int r = -1;
        if (line_end - p <= max_bytes && s < line_end) r = certify(pg, s, (size_t)(line_end - s), schema, rules_on, max_depth);
        if (r >= 0) {
            if (n == cap_n) {
                cap_n *= 2;
                int64_t *nn = realloc(numbers, cap_n * sizeof(int64_t));
                if (!nn) goto oom;
                numbers = nn;
                unsigned char *ns = realloc(schemas, cap_n);
                if (!ns) goto oom;
                schemas = ns;
            }
            numbers[n] = number; schemas[n] = (unsigned char)r; n++;
        } else {
            PyObject *row = Py_BuildValue("(nLnn)", (Py_ssize_t)n, number, (Py_ssize_t)(p - data), (Py_ssize_t)(line_end - data));
            if (!row || PyList_Append(slow, row) < 0) { Py_XDECREF(row); goto oom; }
            Py_DECREF(row);
        }
        p = line_end;
    }
    PyBuffer_Release(&buf);
    PyObject *out = Py_BuildValue("(y#y#NL)", (const char *)numbers, (Py_ssize_t)(n * sizeof(int64_t)),
                                  (const char *)schemas, (Py_ssize_t)n, slow, newlines);
    free(numbers); free(schemas);
    return out;
oom:
    PyBuffer_Release(&buf);
    free(numbers); free(schemas); Py_XDECREF(slow);
    if (!PyErr_Occurred()) PyErr_NoMemory();
    return NULL;
}

static PyObject *py_dfa_match(PyObject *self, PyObject *args) {
    /* dfa_match(prog, dfa_index, text_bytes) -> bool: the C matcher, for the tests */
    PyObject *cap; int i; Py_buffer buf;
    if (!PyArg_ParseTuple(args, "Oiy*", &cap, &i, &buf)) return NULL;
    Prog *pg = prog_of(cap);
    if (!pg || i < 0 || i >= (int)pg->ndfas) { PyBuffer_Release(&buf); if (pg) PyErr_SetString(PyExc_IndexError, "dfa"); return NULL; }
    Node nd = {0};
    nd.kind = K_STRING; nd.s = buf.buf; nd.count = (uint32_t)buf.len;
    int r = run_dfa(&pg->dfas[i], &nd);
    PyBuffer_Release(&buf);
    return PyBool_FromLong(r);
}

static PyMethodDef methods[] = {
    {"build", py_build, METH_VARARGS, "Build a program from node tables (contracts.fastpath.program)."},
    {"certify", py_certify, METH_VARARGS, "certify(prog, data, schema, rules_on, max_depth) -> index or -reason"},
    {"certify_block", py_certify_block, METH_VARARGS, "Certify the plain records of a block of JSON Lines."},
    {"dfa_match", py_dfa_match, METH_VARARGS, "Run one compiled pattern (for tests)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fast", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__fast(void) {
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    for (int c = '0'; c <= '9'; c++) g_run_class[c] = 1;
    for (int c = 0; c < 128; c++) g_pchar[c] = alnum((char)c) || (c && strchr("-._~!$&'()*+,;=:@/?", c));
    g_run_class[' '] = g_run_class['-'] = g_run_class['.'] = 2;
    PyObject *groups = PyTuple_New(G_COUNT);
    for (int i = 0; i < G_COUNT; i++) PyTuple_SET_ITEM(groups, i, PyUnicode_FromString(GROUP_RULES[i]));
    PyModule_AddObject(m, "GROUP_RULES", groups);
    PyModule_AddIntConstant(m, "CARD_RUN", CARD_RUN);
    return m;
}
