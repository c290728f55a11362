/*
 * talentreg/merkle.h — RFC 9162 Merkle tree hashing, proofs and their verification.
 *
 * Hashes (RFC 9162 section 2.1.1, SHA-256):
 *   leaf hash   = SHA-256(0x00 || leaf bytes)
 *   node hash   = SHA-256(0x01 || left || right)
 *   empty tree  = SHA-256("")
 * Leaf indices are 0-based; tree sizes and indices are uint64_t (a tree holds at most
 * 2^64 - 1 leaves). Every hash is exactly TR_MERKLE_HASH_LEN bytes: the functions take
 * fixed-size arrays, and tr_merkle_hash_from_base64 is where outside bytes become a hash.
 *
 * Storage-independent design. A store keeps the hash of every *perfect* subtree: the node
 * at (level h, index i) is the root of leaves [i * 2^h, (i + 1) * 2^h). Those hashes never
 * change once written, so tr_merkle_append tells the store which nodes one new leaf
 * completes (at most 64), and every root and proof below is computed from O(log n) of
 * them, read through a tr_merkle_get_fn. A subtree on the right edge of a tree whose size
 * is not a power of two is not stored: it is combined from the perfect subtrees that make
 * it up (the binary digits of its size).
 */
#ifndef TALENTREG_MERKLE_H
#define TALENTREG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_MERKLE_HASH_LEN 32
/* Levels that can hold a perfect subtree in a tree of fewer than 2^64 leaves (0..63), and
 * so the most nodes one append completes. */
#define TR_MERKLE_MAX_LEVELS 64
/* The most hashes in any proof: 64 for inclusion, 65 for consistency (e.g. 3 -> 2^64-1). */
#define TR_MERKLE_MAX_PROOF 65

/*
 * tr_merkle_get_fn — a reader of stored perfect-subtree hashes: write the hash of the node
 * at (level, index) to out. Return TR_OK, or a TR_E* code after filling err (may be NULL)
 * with a message: TR_ENOTFOUND when the node is not stored, TR_EDB etc. when the store
 * failed. The merkle functions return that code unchanged. ctx is the caller's.
 */
typedef int (*tr_merkle_get_fn)(void *ctx, unsigned level, uint64_t index,
                                unsigned char out[TR_MERKLE_HASH_LEN], struct tr_error *err);

/* One perfect-subtree node: the root of leaves [index * 2^level, (index + 1) * 2^level). */
struct tr_merkle_node {
    unsigned level;
    uint64_t index;
    unsigned char hash[TR_MERKLE_HASH_LEN];
};

/* A proof as generated: len hashes in RFC 9162 order (the leaf's sibling first). */
struct tr_merkle_proof {
    size_t len;
    unsigned char hash[TR_MERKLE_MAX_PROOF][TR_MERKLE_HASH_LEN];
};

/* tr_merkle_leaf_hash — out = SHA-256(0x00 || data[0..len)). TR_OK or TR_ECRYPTO. */
int tr_merkle_leaf_hash(const void *data, size_t len, unsigned char out[TR_MERKLE_HASH_LEN]);

/* tr_merkle_node_hash — out = SHA-256(0x01 || left || right). out may alias an input.
 * TR_OK or TR_ECRYPTO. */
int tr_merkle_node_hash(const unsigned char left[TR_MERKLE_HASH_LEN],
                        const unsigned char right[TR_MERKLE_HASH_LEN],
                        unsigned char out[TR_MERKLE_HASH_LEN]);

/*
 * tr_merkle_hash_from_base64 — decode the len characters at s as one hash: strict padded
 * base64 (talentreg/base64.h) of exactly 32 bytes. Returns TR_OK, or TR_EPARSE with
 * "hash is N bytes, not 32" or the base64 error. out is untouched on failure.
 */
int tr_merkle_hash_from_base64(const char *s, size_t len, unsigned char out[TR_MERKLE_HASH_LEN],
                               struct tr_error *err);

/*
 * tr_merkle_append — the nodes that leaf number index (0-based; the tree had index leaves
 * before it) completes: out[0] is the leaf itself (level 0), then each parent that becomes
 * perfect, bottom up; *count (out) gets how many (1 + the number of trailing one bits of
 * index, at most TR_MERKLE_MAX_LEVELS). The store writes exactly these rows. Reads the
 * left sibling of each completed parent through get (as many reads as parents).
 * Returns TR_OK; TR_EINVAL when index is UINT64_MAX (the tree is full); TR_ECRYPTO; or
 * the reader's code.
 */
int tr_merkle_append(uint64_t index, const unsigned char leaf_hash[TR_MERKLE_HASH_LEN],
                     tr_merkle_get_fn get, void *ctx,
                     struct tr_merkle_node out[TR_MERKLE_MAX_LEVELS], size_t *count,
                     struct tr_error *err);

/*
 * tr_merkle_root — out = MTH of the first size leaves (RFC 9162 section 2.1.1): the empty
 * tree hash for size 0, else the right-to-left combination of the perfect subtrees given
 * by the binary digits of size (one read per one bit). Returns TR_OK, TR_ECRYPTO or the
 * reader's code.
 */
int tr_merkle_root(uint64_t size, tr_merkle_get_fn get, void *ctx,
                   unsigned char out[TR_MERKLE_HASH_LEN], struct tr_error *err);

/*
 * tr_merkle_prove_inclusion — out = PATH(index, D[0:size]) (RFC 9162 section 2.1.3.1),
 * from at most 2 * 64 reads. Returns TR_OK; TR_EINVAL when index >= size; TR_ECRYPTO; or
 * the reader's code. out is only meaningful on TR_OK.
 */
int tr_merkle_prove_inclusion(uint64_t index, uint64_t size, tr_merkle_get_fn get, void *ctx,
                              struct tr_merkle_proof *out, struct tr_error *err);

/*
 * tr_merkle_prove_consistency — out = PROOF(size1, D[0:size2]) (RFC 9162 section
 * 2.1.4.1); empty when size1 == size2. At most 3 * 64 reads. Returns TR_OK; TR_EINVAL when
 * size1 is 0 (no tree to be consistent with) or size1 > size2; TR_ECRYPTO; or the
 * reader's code.
 */
int tr_merkle_prove_consistency(uint64_t size1, uint64_t size2, tr_merkle_get_fn get, void *ctx,
                                struct tr_merkle_proof *out, struct tr_error *err);

/*
 * tr_merkle_verify_inclusion — RFC 9162 section 2.1.3.2: do the len hashes at proof prove
 * that leaf_hash is leaf index of the tree of size with root? proof may be NULL when len
 * is 0. Returns TR_OK; TR_EVERIFY (index >= size, too many or too few hashes, or another
 * root; the message says which); TR_ECRYPTO.
 */
int tr_merkle_verify_inclusion(uint64_t index, uint64_t size,
                               const unsigned char leaf_hash[TR_MERKLE_HASH_LEN],
                               const unsigned char (*proof)[TR_MERKLE_HASH_LEN], size_t len,
                               const unsigned char root[TR_MERKLE_HASH_LEN], struct tr_error *err);

/*
 * tr_merkle_verify_consistency — RFC 9162 section 2.1.4.2: do the len hashes at proof
 * prove that the tree of size1 with root1 is a prefix of the tree of size2 with root2?
 * size1 == size2 needs an empty proof and root1 == root2. size1 == 0 is refused: a client
 * that holds no tree head has nothing to check. proof may be NULL when len is 0.
 * Returns TR_OK; TR_EVERIFY (the message says why); TR_ECRYPTO.
 */
int tr_merkle_verify_consistency(uint64_t size1, uint64_t size2,
                                 const unsigned char (*proof)[TR_MERKLE_HASH_LEN], size_t len,
                                 const unsigned char root1[TR_MERKLE_HASH_LEN],
                                 const unsigned char root2[TR_MERKLE_HASH_LEN],
                                 struct tr_error *err);

/*
 * The in-memory store of perfect-subtree hashes: used by the tests and the benchmark, and
 * the reference for what a persistent store keeps. level[h] holds the size >> h complete
 * nodes of level h in index order. reads counts calls of tr_merkle_mem_get, so a caller can
 * check how many stored hashes an operation needed.
 */
struct tr_merkle_mem {
    uint64_t size;  /* leaves appended */
    uint64_t reads; /* tr_merkle_mem_get calls so far */
    unsigned char (*level[TR_MERKLE_MAX_LEVELS])[TR_MERKLE_HASH_LEN]; /* owned */
    size_t cap[TR_MERKLE_MAX_LEVELS];                                 /* allocated nodes */
};

/* tr_merkle_mem_init — an empty store; allocates nothing. */
void tr_merkle_mem_init(struct tr_merkle_mem *m);

/* tr_merkle_mem_release — free the stored hashes and make m empty again. */
void tr_merkle_mem_release(struct tr_merkle_mem *m);

/*
 * tr_merkle_mem_append — append one leaf hash: store the nodes tr_merkle_append returns.
 * Returns TR_OK, TR_ENOMEM, TR_EINVAL (full, or more leaves than memory can index) or
 * TR_ECRYPTO; m is unchanged on failure.
 */
int tr_merkle_mem_append(struct tr_merkle_mem *m, const unsigned char leaf_hash[TR_MERKLE_HASH_LEN],
                         struct tr_error *err);

/*
 * tr_merkle_mem_get — the tr_merkle_get_fn of the in-memory store; ctx is a struct
 * tr_merkle_mem *. Returns TR_OK, or TR_ENOTFOUND ("no merkle node at level H index I")
 * when that node is not complete yet.
 */
int tr_merkle_mem_get(void *ctx, unsigned level, uint64_t index,
                      unsigned char out[TR_MERKLE_HASH_LEN], struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
