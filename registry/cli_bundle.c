/* cli_bundle.c — `talentreg verify --bundle`: an offline bundle, with no store. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_bundle.h"

/* The most a checkpoint file given with --checkpoint may hold. */
#define NOTE_FILE_MAX 65536

enum { OPT_BUNDLE = CLI_OPT_BASE + 1, OPT_OPERATOR, OPT_CHECKPOINT, OPT_JSON };

struct bundle_args {
    const char *bundle;
    const char *operator_key;
    const char *checkpoint;
    int json;
    struct tr_limits limits;
};

int cli_has_bundle_option(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--bundle") == 0 || strncmp(argv[i], "--bundle=", 9) == 0) {
            return 1;
        }
    }
    return 0;
}

static int parse(struct cli *cli, int argc, char **argv, struct bundle_args *a)
{
    static const struct option opts[] = {
        {"bundle", required_argument, NULL, OPT_BUNDLE},
        {"operator", required_argument, NULL, OPT_OPERATOR},
        {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
        {"json", no_argument, NULL, OPT_JSON},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    tr_limits_default(&a->limits);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_BUNDLE) {
            a->bundle = optarg;
        } else if (c == OPT_OPERATOR) {
            a->operator_key = optarg;
        } else if (c == OPT_CHECKPOINT) {
            a->checkpoint = optarg;
        } else if (c == OPT_JSON) {
            a->json = 1;
        } else if (c == '?' || cli_limit_option(cli, c, optarg, &a->limits) != CLI_EXIT_OK) {
            return c == '?' ? cli->exit : CLI_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        return cli_usage_error(cli, "a bundle is verified alone, not with '%s'", argv[optind]);
    }
    if (a->operator_key == NULL) {
        return cli_usage_error(cli, "option '--bundle' needs '--operator VKEY'");
    }
    return -1;
}

/* seen = the checkpoint in the file at path, opened with the operator key. */
static int read_seen(const char *path, const struct tr_note_verifier *vkey,
                     struct tr_bundle_seen *seen)
{
    struct tr_buf note;
    struct tr_note_checkpoint cp;
    struct tr_error err = {0};
    tr_buf_init(&note);
    int rc = tr_buf_read_file(&note, path, NOTE_FILE_MAX, &err);
    if (rc == TR_OK) {
        rc = tr_note_checkpoint_open(note.data, note.len, vkey->name, vkey, 1, &cp, &err);
        if (rc != TR_OK) {
            tr_error_prefix(&err, "checkpoint '%s'", path);
        }
    }
    tr_buf_release(&note);
    if (rc != TR_OK) {
        return cli_error("%s", err.msg);
    }
    seen->size = cp.size;
    memcpy(seen->root, cp.root, sizeof seen->root);
    return CLI_EXIT_OK;
}

static const char *const caveat =
    "offline verification cannot see revocations logged after tree size %" PRIu64;

static int report_json(const struct tr_bundle_result *r, int rc, const struct tr_error *err)
{
    struct tr_json *o = tr_json_new_object();
    struct tr_json *reasons = tr_json_new_array();
    char note[128];
    int jrc = o == NULL || reasons == NULL ? TR_ENOMEM : TR_OK;
    snprintf(note, sizeof note, caveat, r->checkpoint.size);
    cli_json_set(o, "recordId",
                 r->record_id[0] != '\0' ? tr_json_new_cstr(r->record_id) : tr_json_new_null(),
                 &jrc);
    cli_json_set(o, "kind",
                 r->has_kind ? tr_json_new_cstr(tr_schema_kind_name(r->kind)) : tr_json_new_null(),
                 &jrc);
    cli_json_set(o, "counts", tr_json_new_bool(rc == TR_OK), &jrc);
    cli_json_set(o, "offline", tr_json_new_bool(1), &jrc);
    cli_json_set(o, "leaf",
                 r->record_id[0] != '\0' ? tr_json_new_number((double)r->leaf_index)
                                         : tr_json_new_null(),
                 &jrc);
    cli_json_set(o, "treeSize",
                 r->checkpoint.origin[0] != '\0' ? tr_json_new_number((double)r->checkpoint.size)
                                                 : tr_json_new_null(),
                 &jrc);
    if (rc != TR_OK) {
        struct tr_json *it = tr_json_new_object();
        int irc = it == NULL ? TR_ENOMEM : TR_OK;
        cli_json_set(it, "code", tr_json_new_cstr(tr_bundle_reason_code(r->reason)), &irc);
        cli_json_set(it, "detail", tr_json_new_cstr(err->msg), &irc);
        if (irc == TR_OK) {
            irc = tr_json_array_append(reasons, it);
        } else {
            tr_json_free(it);
        }
        jrc = jrc == TR_OK ? irc : jrc;
    }
    cli_json_set(o, "reasons", reasons, &jrc);
    cli_json_set(o, "note", rc == TR_OK ? tr_json_new_cstr(note) : tr_json_new_null(), &jrc);
    if (jrc != TR_OK) {
        tr_json_free(o);
        o = NULL;
    }
    int code = cli_print_json(o);
    tr_json_free(o);
    return code;
}

static int report_text(const struct tr_bundle_result *r, int rc, const struct tr_error *err)
{
    struct tr_buf out;
    tr_buf_init(&out);
    tr_buf_addf(&out, "record %s: %s\n", r->record_id[0] != '\0' ? r->record_id : "(none)",
                rc == TR_OK ? "counts" : "does not count");
    if (rc == TR_OK) {
        tr_buf_addf(&out, "kind: %s\n", tr_schema_kind_name(r->kind));
        tr_buf_addf(&out, "leaf: %" PRIu64 "\n", r->leaf_index);
        tr_buf_addf(&out, "checkpoint: %s, tree size %" PRIu64 "\n", r->checkpoint.origin,
                    r->checkpoint.size);
        tr_buf_adds(&out, "note: ");
        tr_buf_addf(&out, caveat, r->checkpoint.size);
        tr_buf_addc(&out, '\n');
    } else {
        tr_buf_addf(&out, "%s: %s\n", tr_bundle_reason_code(r->reason), err->msg);
    }
    int code =
        out.err != TR_OK ? cli_error("%s", tr_strerror(out.err)) : cli_write(out.data, out.len);
    tr_buf_release(&out);
    return code;
}

int cli_verify_bundle(struct cli *cli, int argc, char **argv)
{
    struct bundle_args a;
    struct tr_note_verifier vkey;
    struct tr_bundle_seen seen;
    struct tr_bundle_result r;
    struct tr_error err = {0};
    struct tr_json *bundle = NULL;
    int code = parse(cli, argc, argv, &a);
    if (code != -1) {
        return code;
    }
    if (tr_note_verifier_parse(a.operator_key, strlen(a.operator_key), &vkey, &err) != TR_OK) {
        return cli_usage_error(cli, "'--operator' is not a verifier key: %s", err.msg);
    }
    if (a.checkpoint != NULL && read_seen(a.checkpoint, &vkey, &seen) != CLI_EXIT_OK) {
        return CLI_EXIT_ERROR;
    }
    /* A file that cannot be read is an error; one that is not JSON, a bundle that does not
     * verify. */
    struct tr_buf text;
    tr_buf_init(&text);
    int rc = tr_buf_read_file(&text, a.bundle, a.limits.max_bytes, &err);
    if (rc != TR_OK) {
        tr_buf_release(&text);
        return cli_fail(&err);
    }
    rc = tr_json_parse(text.data, text.len, a.bundle, &a.limits, &bundle, &err);
    tr_buf_release(&text);
    if (rc == TR_EPARSE || rc == TR_ELIMIT) {
        memset(&r, 0, sizeof r);
        r.reason = TR_BUNDLE_MALFORMED;
        rc = TR_EVERIFY;
    } else if (rc == TR_OK) {
        rc = tr_bundle_verify(bundle, &vkey, a.checkpoint != NULL ? &seen : NULL, &r, &err);
    }
    tr_json_free(bundle);
    if (rc != TR_OK && rc != TR_EVERIFY) {
        return cli_fail(&err);
    }
    code = a.json ? report_json(&r, rc, &err) : report_text(&r, rc, &err);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    return rc == TR_OK ? CLI_EXIT_OK : CLI_EXIT_NEGATIVE;
}
