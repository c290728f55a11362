/*
 * cmd_export.c — `talentreg export`: a stored record in one of the export formats, each a
 * row of the format table: the signed credential as stored, or an offline bundle.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char cmd_export_usage[] =
    "usage: talentreg export [--format FORMAT | --bundle] [--since N] [--out FILE] ID\n"
    "\n"
    "Write the stored record ID (its 64-hex record id) in an export format, as pretty JSON\n"
    "to standard output or to a new FILE (an existing file is never replaced).\n"
    "\n"
    "Formats:\n"
    "  credential  the signed credential as the log holds it (the default)\n"
    "  bundle      an offline bundle (docs/bundle.md): the credential, the Organization\n"
    "              records of the keys that signed it, their inclusion proofs and the latest\n"
    "              checkpoint, so 'talentreg verify --bundle FILE --operator VKEY' can check\n"
    "              it with no store. The record must be covered by a checkpoint and count as\n"
    "              of it.\n"
    "\n"
    "Options:\n"
    "  --format FORMAT  one of the formats above\n"
    "  --bundle         the same as --format bundle\n"
    "  --since N        (bundle) add the consistency proof from tree size N, for a verifier\n"
    "                   that has seen the checkpoint of that size\n"
    "  --out FILE       write to FILE, created with mode 0644\n";

enum { OPT_FORMAT = CLI_OPT_BASE + 1, OPT_BUNDLE, OPT_SINCE, OPT_OUT };

struct export_args {
    const char *format;
    const char *since; /* as given, or NULL */
    const char *out;
    const char *id;
};

/* ---- Formats ---- */

/* Each format makes the JSON document of record id; 0, or the exit code after saying why. */
typedef int (*export_fn)(struct cli *cli, const struct export_args *a, struct tr_json **doc);

static int export_credential(struct cli *cli, const struct export_args *a, struct tr_json **doc)
{
    struct tr_error err = {0};
    struct tr_log_entry entry;
    struct tr_buf body;
    uint64_t leaf = 0;
    int code = CLI_EXIT_OK;
    tr_buf_init(&body);
    if (a->since != NULL) {
        return cli_usage_error(cli, "option '--since' is for bundles");
    }
    if (tr_log_find(cli->db, a->id, &leaf, NULL, NULL, &err) != TR_OK ||
        tr_log_entry(cli->db, leaf, &entry, &body, &err) != TR_OK) {
        code = cli_fail(&err);
    } else if (entry.erased) {
        code = cli_error("the body of record '%s' has been erased", a->id);
    } else if (tr_json_parse(body.data, body.len, "body", NULL, doc, &err) != TR_OK) {
        code = cli_fail(&err);
    }
    tr_buf_release(&body);
    return code;
}

static int export_bundle(struct cli *cli, const struct export_args *a, struct tr_json **doc)
{
    struct tr_error err = {0};
    uint64_t since = 0;
    if (a->since != NULL) {
        size_t n = 0;
        if (cli_parse_size(cli, "since", a->since, &n) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
        since = n;
    }
    return tr_bundle_export(cli->db, a->id, since, doc, &err) == TR_OK ? CLI_EXIT_OK
                                                                       : cli_fail(&err);
}

/* The formats, by name. */
static const struct {
    const char *name;
    export_fn run;
} formats[] = {
    {"bundle", export_bundle},
    {"credential", export_credential},
};

/* ---- Output ---- */

static int write_doc(const struct tr_json *doc, const char *path)
{
    struct tr_error err = {0};
    struct tr_buf text;
    int code = CLI_EXIT_OK;
    tr_buf_init(&text);
    if (tr_json_write(doc, TR_JSON_PRETTY, &text, &err) != TR_OK) {
        code = cli_fail(&err);
    } else if (path != NULL) {
        code = cli_write_new_file(path, text.data, text.len);
    } else {
        code = cli_write(text.data, text.len);
    }
    tr_buf_release(&text);
    return code;
}

static int cmd_export(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"bundle", no_argument, NULL, OPT_BUNDLE},
        {"since", required_argument, NULL, OPT_SINCE},
        {"out", required_argument, NULL, OPT_OUT},
        {NULL, 0, NULL, 0},
    };
    struct export_args a = {"credential", NULL, NULL, NULL};
    struct tr_json *doc = NULL;
    int c;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_FORMAT) {
            a.format = optarg;
        } else if (c == OPT_BUNDLE) {
            a.format = "bundle";
        } else if (c == OPT_SINCE) {
            a.since = optarg;
        } else if (c == OPT_OUT) {
            a.out = optarg;
        } else {
            return cli->exit;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, argc == optind ? "no record ID given" : "too many arguments");
    }
    a.id = argv[optind];
    size_t i = 0;
    while (i < sizeof formats / sizeof formats[0] && strcmp(formats[i].name, a.format) != 0) {
        i++;
    }
    if (i == sizeof formats / sizeof formats[0]) {
        return cli_usage_error(cli, "unknown format '%s'", a.format);
    }
    int code = formats[i].run(cli, &a, &doc);
    if (code == CLI_EXIT_OK) {
        code = write_doc(doc, a.out);
    }
    tr_json_free(doc);
    return code;
}

const struct cli_cmd cli_cmd_export = {"export", cmd_export, CLI_STORE_READ,
                                       "write a record as its credential or as an offline bundle",
                                       cmd_export_usage};
