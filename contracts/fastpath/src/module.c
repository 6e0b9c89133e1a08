/* The compiled fast path of `checkout-contracts validate`: certify that a JSON Lines record is *plain* —
 * well-formed JSON, no duplicate keys, no card number, valid under its schema, and quiet under every
 * cross-field rule — in one pass over its bytes, without building Python objects.
 *
 * It only ever says "certainly plain" or "not sure": every record it does not certify takes the full Python
 * pipeline (orjson, jsonschema-rs, the rules, the card-data scan), which writes the findings. So a gap here
 * costs speed, never a verdict. tests/fastpath/ hold it to that: whatever it certifies, the full pipeline
 * must find nothing in.
 *
 * Pieces: parse.c, a strict RFC 8259 parser into a flat pre-order node array (strings decoded, UTF-8 checked;
 * \u escapes, exponents, numbers of 13+ digits and anything unusual make it give up); schema.c, a tri-state
 * evaluator (valid / invalid / unsure) of the node tables `program.py` compiles from the schemas, with the
 * pattern DFAs of `dfa.py`; rules.c, certifiers for the rules in `rules/`, one function a rule; and this file:
 * one record, a block of JSON Lines, and building a program from the Python tables.
 */
#include "fast.h"

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

/* The tables come from Python (or a cache file): every container is checked before it is read. */
static int is_tuple(PyObject *o, Py_ssize_t n) {
    if (PyTuple_Check(o) && (n < 0 || PyTuple_GET_SIZE(o) == n)) return 1;
    PyErr_SetString(PyExc_ValueError, "malformed fast-path tables");
    return 0;
}

static int node_from(PyObject *t, SNode *s, uint32_t nnodes) {
    /* program.NODE_FIELDS order */
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 24) { PyErr_SetString(PyExc_ValueError, "bad node"); return -1; }
#define F(i) PyTuple_GET_ITEM(t, i)
    memset(s, 0, sizeof *s);
    s->types = (uint32_t)PyLong_AsLong(F(0));
    s->ref = as_i32(F(1));
    PyObject *props = F(2);
    for (int i = 2; i <= 23; i++)
        if ((i == 2 || i == 3 || i == 7 || i == 22 || i == 23 || (i == 12 && F(12) != Py_None)) && !is_tuple(F(i), -1)) return -1;
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
            if (!is_tuple(p, 2)) return -1;
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
            PyObject *d = PyTuple_GET_ITEM(dep, i);
            if (!is_tuple(d, 2) || !is_tuple(PyTuple_GET_ITEM(d, 1), -1)) return -1;
            PyObject *keys = PyTuple_GET_ITEM(d, 1);
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
            if (!is_tuple(m, 2)) return -1;
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
    if (PyTuple_GET_SIZE(groups) != (Py_ssize_t)pg->nschemas || PyTuple_GET_SIZE(shapes) != 6 || pg->nschemas > 255) {
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
        if (!is_tuple(no, -1)) goto fail;
        uint32_t n = (uint32_t)PyTuple_GET_SIZE(no);
        pg->not_offered_status.n = n;
        pg->not_offered_status.items = calloc(n ? n : 1, sizeof(Str));
        pg->not_offered = calloc(n ? n : 1, sizeof(StrSet));
        for (uint32_t i = 0; i < n; i++) {
            PyObject *pair = PyTuple_GET_ITEM(no, i);
            if (!is_tuple(pair, 2)) goto fail;
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

/* certify_block(prog, data, first, bom, schema, rules_on, max_depth)
 *   -> (numbers: bytes of int64, schemas: bytes, slow: list of (plain_before, number, start, end), newlines)
 * Lines as io.BytesIO iterates them (split after b"\n"); a UTF-8 BOM stripped from the first when ``bom``;
 * lines of whitespace only (bytes.isspace) skipped. */
static PyObject *py_certify_block(PyObject *self, PyObject *args) {
    PyObject *cap; Py_buffer buf; long long first; int bom, schema, rules_on, max_depth;
    if (!PyArg_ParseTuple(args, "Oy*Liiii", &cap, &buf, &first, &bom, &schema, &rules_on, &max_depth))
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
        if (s < line_end) r = certify(pg, s, (size_t)(line_end - s), schema, rules_on, max_depth);  /* ≤ MAX_BYTES */
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
    parse_init();
    schema_init();
    PyObject *groups = PyTuple_New(G_COUNT);
    for (int i = 0; i < G_COUNT; i++) PyTuple_SET_ITEM(groups, i, PyUnicode_FromString(GROUP_RULES[i]));
    PyModule_AddObject(m, "GROUP_RULES", groups);
    PyModule_AddIntConstant(m, "CARD_RUN", CARD_RUN);
    return m;
}

