/* The parser: one JSON document into a flat pre-order node array, strictly RFC 8259, strings decoded and
 * UTF-8 checked; \u escapes, exponents, numbers of 13+ digits, card-number-like text, duplicate keys and
 * anything unusual make it give up (FAIL), leaving the record to the full pipeline. */
#include "fast.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static Node *g_nodes = NULL;
static size_t g_cap = 0;
uint32_t *g_mem = NULL;
static size_t g_mlen = 0, g_mcap = 0;
static char *g_buf = NULL;
static size_t g_bcap = 0;

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
 * digits, or digit groups joined by a separator (a space or two, a dash, dot, underscore or slash) holding
 * CARD_RUN digits from a four-digit group on (every grouping it reads — 4-4-4-4, 4-6-5, 4-6-4, 4-6-6, 4-4-4-4-3,
 * runs of 4-4-4-4 — starts with one) that does not follow a digit and a dash (the scan's (?<![0-9]-): the inner
 * groups of 12345678-1234-1234-1234-…). Every non-ASCII character counts as a digit (it may be a Unicode digit
 * such as a full-width one, or a no-break space or an en dash between groups). A superset otherwise: it ignores
 * the scan's other look-behinds, issuer ranges and the Luhn check. */
static unsigned char g_run_class[256];   /* 1 digit or non-ASCII byte, 2 space / dash / dot / _ / slash, 0 else */

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
    int may_start = 1;           /* the current group may start a card number (not after digit + dash) */
    int gap = 0;                 /* 1 after a group and one space: a second space may follow */
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : 0;
        if (c >= 0x80) {
            if ((c & 0xC0) == 0x80) continue;     /* a UTF-8 continuation byte: the character counted once */
            c = '0';
        }
        if (c >= '0' && c <= '9') {
            gap = 0;
            if (++group >= CARD_RUN) return 1;
            continue;
        }
        if (group) {
            if (from4 < 0 && group == 4 && may_start) from4 = 0;
            if (from4 >= 0 && (from4 += group) >= CARD_RUN) return 1;
            group = 0;
            if (c == ' ' || c == '-' || c == '.' || c == '_' || c == '/') {   /* the chain goes on if a digit follows */
                may_start = c != '-';
                gap = c == ' ';
                continue;
            }
        } else if (gap == 1 && c == ' ') {        /* two spaces between groups */
            gap = 2;
            continue;
        }
        from4 = -1;
        may_start = 1;
        gap = 0;
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

/* Four hex digits at p: their value, or -1. */
static inline int32_t hex4(const unsigned char *p, const unsigned char *end) {
    if (end - p < 4) return -1;
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A code point as UTF-8 at o (never longer than the escape it came from); its length. */
static inline int put_utf8(char *o, int32_t cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 0x3F)); o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
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
                case 'u': {
                    int32_t cp = hex4(p + 2, end);
                    if (cp < 0) return FAIL;
                    p += 6;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {   /* a pair, or orjson refuses it */
                        int32_t lo = (end - p >= 2 && p[0] == '\\' && p[1] == 'u') ? hex4(p + 2, end) : -1;
                        if (lo < 0xDC00 || lo > 0xDFFF) return FAIL;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) return FAIL;
                    o += put_utf8(o, cp);
                    cps++;
                    continue;
                }
                default: return FAIL;
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
    const unsigned char *p = P->p, *end = P->end;
    int neg = 0, digits = 0, frac = 0;
    int64_t v = 0, mantissa;
    double scale = 1;
    if (*p == '-') { neg = 1; p++; }
    if (p >= end || *p < '0' || *p > '9') return FAIL;
    if (*p == '0') { p++; digits = 1; if (p < end && *p >= '0' && *p <= '9') return FAIL; }
    else while (p < end && *p >= '0' && *p <= '9') { v = v * 10 + (*p - '0'); p++; if (++digits >= CARD_RUN) return FAIL; }
    if (p < end && *p == '.') {
        frac = 1; p++;
        if (p >= end || *p < '0' || *p > '9') return FAIL;
        mantissa = v;
        while (p < end && *p >= '0' && *p <= '9') {
            mantissa = mantissa * 10 + (*p - '0'); scale *= 10; p++;
            if (++digits >= CARD_RUN) return FAIL;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) return FAIL;  /* exponents: rare, left to the full pipeline */
    Node *nd = &P->nodes[idx];
    nd->next = idx + 1;
    if (frac) {   /* both exact (< 2**53), so one correctly rounded division: what strtod gives, locale-free */
        nd->kind = K_FLOAT; nd->d = (double)(neg ? -mantissa : mantissa) / scale;
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
    uint32_t keys[MAX_MEMBERS];
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
            if (count >= MAX_MEMBERS) return FAIL;
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
int parse_doc(Parser *P, const unsigned char *data, size_t len, int max_depth) {
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

void parse_init(void) {
    for (int c = '0'; c <= '9'; c++) g_run_class[c] = 1;
    g_run_class[' '] = g_run_class['-'] = g_run_class['.'] = g_run_class['_'] = g_run_class['/'] = 2;
    for (int c = 0x80; c <= 0xFF; c++) g_run_class[c] = 1;
}
