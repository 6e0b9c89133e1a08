/* The fast path's shared pieces: documents (the parser's flat node array), schema programs, DFAs, the
 * rule constants, and the small helpers every part uses. See module.c for what the fast path is. */
#ifndef CONTRACTS_FAST_H
#define CONTRACTS_FAST_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

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

#define FAIL (-1)
#define MAX_BYTES (1 << 20)   /* bigger records, and ones with more nodes, go to the full pipeline: the */
#define MAX_NODES (1 << 16)   /* buffers below stay small whatever the input */
#define MAX_MEMBERS 128       /* members of one object (duplicates are looked for pairwise) */
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

static inline int str_eq(const char *a, size_t alen, const char *b, size_t blen) {
    return alen == blen && memcmp(a, b, alen) == 0;
}

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int num2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }
static inline int alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int hexd(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* A literal object key with its hash, computed once per call site (GNU statement expression). */
typedef struct { const char *s; uint32_t len; uint64_t h; int ready; } Lit;
#define L(str) ({ static Lit _lit = {str, sizeof(str) - 1, 0, 0}; \
                  if (!_lit.ready) { _lit.h = hash_bytes(str, sizeof(str) - 1); _lit.ready = 1; } &_lit; })

extern uint32_t *g_mem;   /* parse.c: each object's key node indexes, contiguous (the object's i is the offset) */

/* Members of an object node: key at i, value at i + 1 (the object's key indexes are in g_mem). */
static inline int member(const Node *nodes, uint32_t obj, const char *key, size_t len, uint64_t h) {
    if (nodes[obj].kind != K_OBJECT) return -1;
    const uint32_t *keys = g_mem + nodes[obj].i;
    for (uint32_t m = 0; m < nodes[obj].count; m++) {
        const Node *k = &nodes[keys[m]];
        if (k->h == h && k->count == len && same_bytes(k->s, key, len)) return (int)(keys[m] + 1);
    }
    return -1;
}

static inline int has(const Node *nodes, uint32_t obj, const Lit *key) {
    return member(nodes, obj, key->s, key->len, key->h);
}

static inline int get(const Node *nodes, int obj, const Lit *key) {
    return obj < 0 ? -1 : has(nodes, (uint32_t)obj, key);
}
static inline int get_kind(const Node *nodes, int obj, const Lit *key, int kind) {
    int i = get(nodes, obj, key);
    return i >= 0 && nodes[i].kind == kind ? i : -1;
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

typedef struct {
    PyObject *keep;          /* the Python objects whose buffers the tables point into */
    SNode *nodes; uint32_t nnodes;
    Dfa *dfas; uint32_t ndfas;
    uint32_t nschemas; int32_t *roots;                      /* per fast-schema index */
    int32_t *paid_schema;                                   /* per fast-schema index: 1 for the paid resource */
    uint32_t *nrules; int32_t **rules;                      /* per fast-schema index: its rules (RULES indexes) */
    int32_t shape_schema[8];                                /* shape code → fast-schema index or -1 */
    /* rule constants, handed over from the rules' modules (checkout_contracts.fastpath._constants) */
    StrSet capture, subs, canon_token, reasons;
} Prog;

typedef struct View View;
typedef struct { const char *id; int (*fn)(const Prog *, View *); } RuleC;

enum { S_NONE = -1, S_PW_CHECKOUT, S_PW_CUSTOMER, S_SPP_ORDER, S_SPP_STATE, S_SPP_PAID, S_SPP_PROBLEM };

/* parse.c */
void parse_init(void);
int parse_doc(Parser *P, const unsigned char *data, size_t len, int max_depth);
/* schema.c */
void schema_init(void);
int in_set(const StrSet *set, const Node *nd);
int run_dfa(const Dfa *d, const Node *nd);
int eval(const Prog *pg, int32_t si, const Node *nodes, uint32_t vi);
int detect(const Node *nodes);
/* rules.c */
int certify_rules(const Prog *pg, int schema, const Node *n);
extern const RuleC RULES[];

#endif
