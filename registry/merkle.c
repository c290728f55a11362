/*
 * merkle.c — RFC 9162 Merkle tree hashes, proofs from stored perfect subtrees, and proof
 * verification. The design is described in include/talentreg/merkle.h and
 * docs/log-format.md.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/base64.h"
#include "talentreg/crypto.h"
#include "talentreg/merkle.h"

#define HASH_LEN TR_MERKLE_HASH_LEN

int tr_merkle_leaf_hash(const void *data, size_t len, unsigned char out[HASH_LEN])
{
    static const unsigned char prefix = 0x00;
    const void *ptrs[] = {&prefix, data};
    size_t lens[] = {1, len};
    return tr_sha256_parts(ptrs, lens, 2, out);
}

int tr_merkle_node_hash(const unsigned char left[HASH_LEN], const unsigned char right[HASH_LEN],
                        unsigned char out[HASH_LEN])
{
    static const unsigned char prefix = 0x01;
    const void *ptrs[] = {&prefix, left, right};
    size_t lens[] = {1, HASH_LEN, HASH_LEN};
    return tr_sha256_parts(ptrs, lens, 3, out);
}

int tr_merkle_hash_from_base64(const char *s, size_t len, unsigned char out[HASH_LEN],
                               struct tr_error *err)
{
    /* One byte of room beyond a hash, so that a longer value is told apart by its length. */
    unsigned char tmp[HASH_LEN + 1];
    size_t n = 0;
    int rc = tr_base64_decode(s, len, tmp, sizeof tmp, &n, err);
    if (rc == TR_ELIMIT) {
        return tr_error_set(err, TR_EPARSE, "hash is more than %d bytes", HASH_LEN);
    }
    if (rc != TR_OK) {
        return rc;
    }
    if (n != HASH_LEN) {
        return tr_error_set(err, TR_EPARSE, "hash is %zu bytes, not %d", n, HASH_LEN);
    }
    memcpy(out, tmp, HASH_LEN);
    return TR_OK;
}

static int hash_failed(struct tr_error *err)
{
    return tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
}

/* The largest power of two below n (n >= 2): the split point k of RFC 9162. */
static uint64_t split_point(uint64_t n)
{
    return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

int tr_merkle_append(uint64_t index, const unsigned char leaf_hash[HASH_LEN], tr_merkle_get_fn get,
                     void *ctx, struct tr_merkle_node out[TR_MERKLE_MAX_LEVELS], size_t *count,
                     struct tr_error *err)
{
    int rc = TR_OK;
    *count = 0;
    if (index == UINT64_MAX) {
        return tr_error_set(err, TR_EINVAL, "the log is full: it holds 2^64 - 1 leaves");
    }
    size_t n = 0;
    out[n].level = 0;
    out[n].index = index;
    memcpy(out[n].hash, leaf_hash, HASH_LEN);
    n++;
    /* A node with an odd index is a right child: its parent is complete now. */
    for (uint64_t i = index; (i & 1) != 0; i >>= 1) {
        unsigned char left[HASH_LEN];
        unsigned level = out[n - 1].level;
        rc = get(ctx, level, i - 1, left, err);
        if (rc != TR_OK) {
            goto out;
        }
        out[n].level = level + 1;
        out[n].index = i >> 1;
        if (tr_merkle_node_hash(left, out[n - 1].hash, out[n].hash) != TR_OK) {
            rc = hash_failed(err);
            goto out;
        }
        n++;
    }
    *count = n;
out:
    return rc;
}

/*
 * The hash of leaves [start, start + len), len >= 1, where start is a multiple of a power
 * of two >= len (every subtree the RFC recursion visits is so). Its perfect subtrees are
 * the one bits of len, largest first; MTH folds them from the right.
 */
static int range_hash(tr_merkle_get_fn get, void *ctx, uint64_t start, uint64_t len,
                      unsigned char out[HASH_LEN], struct tr_error *err)
{
    int rc = TR_OK;
    int have = 0;
    uint64_t end = start + len;
    for (unsigned level = 0; level < TR_MERKLE_MAX_LEVELS; level++) {
        if ((len >> level & 1) == 0) {
            continue;
        }
        unsigned char piece[HASH_LEN];
        end -= (uint64_t)1 << level;
        rc = get(ctx, level, end >> level, piece, err);
        if (rc != TR_OK) {
            goto out;
        }
        if (have && tr_merkle_node_hash(piece, out, out) != TR_OK) {
            rc = hash_failed(err);
            goto out;
        }
        if (!have) {
            memcpy(out, piece, HASH_LEN);
            have = 1;
        }
    }
out:
    return rc;
}

int tr_merkle_root(uint64_t size, tr_merkle_get_fn get, void *ctx, unsigned char out[HASH_LEN],
                   struct tr_error *err)
{
    if (size == 0) {
        return tr_sha256("", 0, out) == TR_OK ? TR_OK : hash_failed(err);
    }
    return range_hash(get, ctx, 0, size, out, err);
}

/*
 * One step down the RFC 9162 recursion over leaves [*start, *start + *n), which holds
 * position *m: split at k, append to out the hash of the half the walk leaves, and narrow
 * the range to the half it takes. PATH takes the left half when *m < k; SUBPROOF when
 * *m <= k (left_if_equal). The left half is perfect (one read); the right half may be a
 * right-edge subtree (popcount reads), which happens at most once per walk, since after
 * taking a left half every range is perfect.
 */
static int descend(tr_merkle_get_fn get, void *ctx, int left_if_equal, uint64_t *start, uint64_t *n,
                   uint64_t *m, struct tr_merkle_proof *out, struct tr_error *err)
{
    uint64_t k = split_point(*n);
    int rc;
    if (*m < k || (left_if_equal && *m == k)) {
        rc = range_hash(get, ctx, *start + k, *n - k, out->hash[out->len], err);
        *n = k;
    } else {
        rc = get(ctx, (unsigned)__builtin_ctzll(k), *start / k, out->hash[out->len], err);
        *start += k;
        *m -= k;
        *n -= k;
    }
    if (rc == TR_OK) {
        out->len++;
    }
    return rc;
}

/* The walks collect hashes top down; a proof lists them bottom up. Empty on failure. */
static int finish(struct tr_merkle_proof *p, int rc)
{
    if (rc != TR_OK) {
        p->len = 0;
        return rc;
    }
    for (size_t i = 0, j = p->len; i + 1 < j; i++, j--) {
        unsigned char t[HASH_LEN];
        memcpy(t, p->hash[i], HASH_LEN);
        memcpy(p->hash[i], p->hash[j - 1], HASH_LEN);
        memcpy(p->hash[j - 1], t, HASH_LEN);
    }
    return TR_OK;
}

int tr_merkle_prove_inclusion(uint64_t index, uint64_t size, tr_merkle_get_fn get, void *ctx,
                              struct tr_merkle_proof *out, struct tr_error *err)
{
    int rc = TR_OK;
    out->len = 0;
    if (index >= size) {
        return tr_error_set(err, TR_EINVAL, "leaf %" PRIu64 " is not in a tree of size %" PRIu64,
                            index, size);
    }
    /* PATH(m, D[start:start + n]) from the top down to the leaf. */
    uint64_t start = 0, n = size, m = index;
    while (rc == TR_OK && n > 1) {
        rc = descend(get, ctx, 0, &start, &n, &m, out, err);
    }
    return finish(out, rc);
}

int tr_merkle_prove_consistency(uint64_t size1, uint64_t size2, tr_merkle_get_fn get, void *ctx,
                                struct tr_merkle_proof *out, struct tr_error *err)
{
    int rc = TR_OK;
    out->len = 0;
    if (size1 == 0) {
        return tr_error_set(err, TR_EINVAL, "no consistency proof from an empty tree");
    }
    if (size1 > size2) {
        return tr_error_set(err, TR_EINVAL,
                            "old tree size %" PRIu64 " is larger than new tree size %" PRIu64,
                            size1, size2);
    }
    /* SUBPROOF(m, D[start:start + n], b) from the top down to where the old tree is a whole
     * subtree; b stays true while the walk has only taken left halves (start == 0). */
    uint64_t start = 0, n = size2, m = size1;
    while (rc == TR_OK && m != n) {
        rc = descend(get, ctx, 1, &start, &n, &m, out, err);
    }
    /* The verifier knows the old tree's root only when the old tree is the whole range. */
    if (rc == TR_OK && start != 0) {
        rc = range_hash(get, ctx, start, n, out->hash[out->len], err);
        out->len += rc == TR_OK;
    }
    return finish(out, rc);
}

int tr_merkle_verify_inclusion(uint64_t index, uint64_t size,
                               const unsigned char leaf_hash[HASH_LEN],
                               const unsigned char (*proof)[HASH_LEN], size_t len,
                               const unsigned char root[HASH_LEN], struct tr_error *err)
{
    if (index >= size) {
        return tr_error_set(err, TR_EVERIFY,
                            "leaf index %" PRIu64 " is not below tree size %" PRIu64, index, size);
    }
    uint64_t fn = index, sn = size - 1;
    unsigned char r[HASH_LEN];
    memcpy(r, leaf_hash, HASH_LEN);
    for (size_t i = 0; i < len; i++) {
        if (sn == 0) {
            return tr_error_set(err, TR_EVERIFY,
                                "inclusion proof has %zu hashes, more than a tree of size "
                                "%" PRIu64 " needs",
                                len, size);
        }
        int rc;
        if ((fn & 1) != 0 || fn == sn) {
            rc = tr_merkle_node_hash(proof[i], r, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            rc = tr_merkle_node_hash(r, proof[i], r);
        }
        if (rc != TR_OK) {
            return hash_failed(err);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) {
        return tr_error_set(err, TR_EVERIFY,
                            "inclusion proof has %zu hashes, fewer than a tree of size "
                            "%" PRIu64 " needs",
                            len, size);
    }
    if (memcmp(r, root, HASH_LEN) != 0) {
        return tr_error_set(err, TR_EVERIFY,
                            "inclusion proof of leaf %" PRIu64 " leads to another root than the "
                            "tree of size %" PRIu64 " has",
                            index, size);
    }
    return TR_OK;
}

int tr_merkle_verify_consistency(uint64_t size1, uint64_t size2,
                                 const unsigned char (*proof)[HASH_LEN], size_t len,
                                 const unsigned char root1[HASH_LEN],
                                 const unsigned char root2[HASH_LEN], struct tr_error *err)
{
    if (size1 == 0) {
        return tr_error_set(err, TR_EVERIFY, "consistency proof from an empty tree is meaningless");
    }
    if (size1 > size2) {
        return tr_error_set(err, TR_EVERIFY,
                            "old tree size %" PRIu64 " is larger than new tree size %" PRIu64,
                            size1, size2);
    }
    if (size1 == size2) {
        if (len != 0) {
            return tr_error_set(err, TR_EVERIFY,
                                "consistency proof between equal tree sizes must be empty");
        }
        if (memcmp(root1, root2, HASH_LEN) != 0) {
            return tr_error_set(err, TR_EVERIFY, "two roots for the same tree size %" PRIu64,
                                size1);
        }
        return TR_OK;
    }
    if (len == 0) {
        return tr_error_set(err, TR_EVERIFY, "consistency proof is empty");
    }
    /* When size1 is a power of two the old root is itself a node of the path: RFC 9162
     * prepends it rather than sending it. Hash i of the path is then proof[i - 1]. */
    size_t first = (size1 & (size1 - 1)) == 0 ? 1 : 0;
    size_t total = len + first;
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    unsigned char fr[HASH_LEN], sr[HASH_LEN];
    memcpy(fr, first ? root1 : proof[0], HASH_LEN);
    memcpy(sr, fr, HASH_LEN);
    for (size_t i = 1; i < total; i++) {
        const unsigned char *c = proof[i - first];
        if (sn == 0) {
            return tr_error_set(err, TR_EVERIFY,
                                "consistency proof has %zu hashes, more than sizes %" PRIu64
                                " and %" PRIu64 " need",
                                len, size1, size2);
        }
        int rc = TR_OK;
        if ((fn & 1) != 0 || fn == sn) {
            if (tr_merkle_node_hash(c, fr, fr) != TR_OK ||
                tr_merkle_node_hash(c, sr, sr) != TR_OK) {
                rc = TR_ECRYPTO;
            }
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            rc = tr_merkle_node_hash(sr, c, sr);
        }
        if (rc != TR_OK) {
            return hash_failed(err);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) {
        return tr_error_set(err, TR_EVERIFY,
                            "consistency proof has %zu hashes, fewer than sizes %" PRIu64
                            " and %" PRIu64 " need",
                            len, size1, size2);
    }
    if (memcmp(fr, root1, HASH_LEN) != 0) {
        return tr_error_set(err, TR_EVERIFY,
                            "consistency proof does not lead to the root of tree size %" PRIu64,
                            size1);
    }
    if (memcmp(sr, root2, HASH_LEN) != 0) {
        return tr_error_set(err, TR_EVERIFY,
                            "consistency proof does not lead to the root of tree size %" PRIu64,
                            size2);
    }
    return TR_OK;
}

void tr_merkle_mem_init(struct tr_merkle_mem *m)
{
    memset(m, 0, sizeof *m);
}

void tr_merkle_mem_release(struct tr_merkle_mem *m)
{
    for (size_t h = 0; h < TR_MERKLE_MAX_LEVELS; h++) {
        free(m->level[h]);
    }
    tr_merkle_mem_init(m);
}

int tr_merkle_mem_append(struct tr_merkle_mem *m, const unsigned char leaf_hash[HASH_LEN],
                         struct tr_error *err)
{
    struct tr_merkle_node nodes[TR_MERKLE_MAX_LEVELS];
    size_t count = 0;
    if (m->size >= SIZE_MAX / HASH_LEN / 2) {
        return tr_error_set(err, TR_EINVAL, "in-memory merkle store is full");
    }
    int rc = tr_merkle_append(m->size, leaf_hash, tr_merkle_mem_get, m, nodes, &count, err);
    if (rc != TR_OK) {
        return rc;
    }
    /* Make room on every level first, so that a failure leaves m unchanged. */
    for (size_t i = 0; i < count; i++) {
        unsigned h = nodes[i].level;
        size_t need = (size_t)nodes[i].index + 1;
        if (need > m->cap[h]) {
            size_t cap = m->cap[h] < 16 ? 16 : m->cap[h] * 2;
            void *p = realloc(m->level[h], cap * HASH_LEN);
            if (p == NULL) {
                return tr_error_set(err, TR_ENOMEM, "out of memory");
            }
            m->level[h] = p;
            m->cap[h] = cap;
        }
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(m->level[nodes[i].level][nodes[i].index], nodes[i].hash, HASH_LEN);
    }
    m->size++;
    return TR_OK;
}

int tr_merkle_mem_get(void *ctx, unsigned level, uint64_t index, unsigned char out[HASH_LEN],
                      struct tr_error *err)
{
    struct tr_merkle_mem *m = ctx;
    m->reads++;
    if (level >= TR_MERKLE_MAX_LEVELS || index >= m->size >> level) {
        return tr_error_set(err, TR_ENOTFOUND, "no merkle node at level %u index %" PRIu64, level,
                            index);
    }
    memcpy(out, m->level[level][index], HASH_LEN);
    return TR_OK;
}
