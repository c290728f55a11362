/*
 * schema_file.h — the compiled form of a schema file, schemas/<Kind>.yaml (internal).
 *
 * The schema language is described in docs/data-model.md. schema_file.c compiles a file's
 * YAML tree into these structures, refusing anything it does not know; schema.c applies
 * them to credentials.
 */
#ifndef TALENTREG_SCHEMA_FILE_H
#define TALENTREG_SCHEMA_FILE_H

#include <stddef.h>

#include "talentreg/error.h"
#include "talentreg/json.h"
#include "talentreg/schema.h"

/* The types of the schema language. */
enum ftype {
    F_STRING,
    F_INTEGER,
    F_NUMBER,
    F_BOOLEAN,
    F_DATE,
    F_DATETIME,
    F_USCC,
    F_PERSON_ID,
    F_RECORD_ID,
    F_DID_KEY,
    F_ID_HASH,
    F_ENUM,
    F_OBJECT,
    F_ARRAY
};

/* Hard bounds on what a schema may allow, so a schema bug cannot open a hostile input. */
#define SCHEMA_MAX_LENGTH 65536u
#define SCHEMA_MAX_ITEMS 1000u
#define SCHEMA_INT_MAX 9007199254740991.0 /* 2^53 - 1: every integer a double holds exactly */

struct field {
    char *name; /* NULL for the items of an array */
    enum ftype type;
    int required;
    double min, max;   /* F_INTEGER, F_NUMBER */
    size_t max_length; /* F_STRING: characters */
    char **values;     /* F_ENUM */
    size_t nvalues;
    struct field *fields; /* F_OBJECT */
    size_t nfields;
    struct field *items; /* F_ARRAY: one item spec */
    size_t min_items, max_items;
    int unique;  /* F_ARRAY: no two items equal */
    char *clear; /* F_ID_HASH: the record key that gives the value in clear */
};

enum subject_kind { SUBJECT_PERSON, SUBJECT_ORGANIZATION, SUBJECT_RECORD, SUBJECT_NONE };
enum period_rule { PERIOD_REQUIRED, PERIOD_OPTIONAL, PERIOD_NONE };

/* A word of an issuer, signers or cosigners list. */
enum role_kind { ROLE_OPERATOR, ROLE_ORGANIZATION, ROLE_ISSUER, ROLE_SUBJECT, ROLE_FIELD };

struct role {
    enum role_kind kind;
    const struct field *field; /* ROLE_FIELD: a top-level field of type uscc or array of uscc */
};

struct kind_schema {
    enum tr_kind kind;
    const char *name; /* static: tr_schema_kind_name(kind) */
    enum subject_kind subject;
    enum period_rule period;
    struct role issuers[TR_SIGNERS_MAX];
    size_t nissuers;
    struct role signers[TR_SIGNERS_MAX];
    size_t nsigners;
    struct role cosigners[TR_SIGNERS_MAX];
    size_t ncosigners;
    struct field subject_fields; /* F_OBJECT: the fields of credentialSubject besides id */
};

/*
 * schema_file_compile — compile the schema file's tree doc (loaded from name) into *out,
 * whose kind must be kind. Returns TR_OK, TR_ESCHEMA with "'NAME' line L column C: ..." in
 * err for anything the language does not allow, or TR_ENOMEM. On failure *out is released.
 */
int schema_file_compile(const struct tr_json *doc, const char *name, enum tr_kind kind,
                        struct kind_schema *out, struct tr_error *err);

/* schema_file_release — free what schema_file_compile allocated in s. */
void schema_file_release(struct kind_schema *s);

/* schema_file_get — the compiled schema of kind (loading every file at first use). */
int schema_file_get(enum tr_kind kind, const struct kind_schema **out, struct tr_error *err);

/* schema_find_field — the field called name among object's fields, or NULL. */
const struct field *schema_find_field(const struct field *object, const char *name);

#endif
