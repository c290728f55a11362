/* check_policy.c — policy presets: every preset loads, the language's defaults, and malformed
 * policies refused with exact messages and positions. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

static int64_t day(const char *s)
{
    int64_t d = 0;
    ck_assert_int_eq(tr_date_parse(s, strlen(s), &d, NULL), TR_OK);
    return d;
}

/* Parse text as a policy called "p.yaml"; returns the code, the message in err. */
static int parse(const char *text, struct tr_policy **out, struct tr_error *err)
{
    return tr_policy_parse(text, strlen(text), "p.yaml", out, err);
}

/* The message parsing text gives; the parse must fail with code. */
static const char *refused(const char *text, int code)
{
    static struct tr_error err;
    struct tr_policy *p = (struct tr_policy *)1;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(parse(text, &p, &err), code);
    ck_assert_ptr_null(p);
    return err.msg;
}

#define HEAD                                                                                       \
    "id: test-policy\n"                                                                            \
    "version: 2\n"                                                                                 \
    "title: a test\n"                                                                              \
    "source:\n"                                                                                    \
    "  - title: rules\n"                                                                           \
    "    issuer: a ministry\n"                                                                     \
    "    issued: 2016-05-11\n"                                                                     \
    "criteria:\n"

START_TEST(policy_every_preset_loads)
{
    static const char *const ids[] = {"cn-vocational-teacher-practice-2016",
                                      "engineering-doctorate-credits",
                                      "industrial-professor-duties", "student-enterprise-immersion",
                                      "title-associate-professor-example"};
    struct tr_policy **list = NULL;
    struct tr_error err = {0};
    size_t n = 0;
    ck_assert_msg(tr_policy_list(&list, &n, &err) == TR_OK, "%s", err.msg);
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < n; i++) {
        struct tr_policy *p = NULL;
        ck_assert_str_eq(list[i]->id, ids[i]);
        ck_assert_int_eq(list[i]->version, 1);
        ck_assert_uint_ge(list[i]->nsources, 1);
        ck_assert_int_eq(tr_policy_load(ids[i], &p, &err), TR_OK);
        ck_assert_str_eq(p->title, list[i]->title);
        ck_assert_int_eq(p->example, strcmp(ids[i], "title-associate-professor-example") == 0);
        tr_policy_free(p);
    }
    tr_policy_list_free(list, n);
}
END_TEST

START_TEST(policy_teacher_practice_preset_holds_the_2016_rule)
{
    struct tr_policy *p = NULL;
    ck_assert_int_eq(tr_policy_load("cn-vocational-teacher-practice-2016", &p, NULL), TR_OK);
    ck_assert_str_eq(p->sources[0].number, "教师〔2016〕3号");
    ck_assert_str_eq(p->sources[0].issued, "2016-05-11");
    ck_assert_uint_eq(p->ncriteria, 1);
    const struct tr_policy_criterion *c = &p->criteria[0];
    ck_assert_int_eq(c->type, TR_CRITERION_ENTERPRISE_MONTHS);
    ck_assert(c->threshold == 6);
    ck_assert_int_eq(c->days_per_month, 30);
    ck_assert_int_eq(c->window.type, TR_WINDOW_ROLLING);
    ck_assert_int_eq(c->window.years, 5);
    ck_assert_uint_eq(c->forms.len, 4);
    ck_assert_str_eq(c->forms.items[0], "site_visit");
    ck_assert_str_eq(c->forms.items[3], "rnd_project");
    tr_policy_free(p);
}
END_TEST

START_TEST(policy_industrial_professor_preset_has_three_duties)
{
    struct tr_policy *p = NULL;
    ck_assert_int_eq(tr_policy_load("industrial-professor-duties", &p, NULL), TR_OK);
    ck_assert_uint_eq(p->nsources, 2);
    ck_assert_str_eq(p->sources[0].number, "苏教规〔2018〕1号");
    ck_assert_ptr_null(p->sources[1].number);
    ck_assert_str_eq(p->sources[1].issued, "2018-02");
    ck_assert_uint_eq(p->ncriteria, 3);
    ck_assert_int_eq(p->criteria[0].type, TR_CRITERION_ACTIVE_APPOINTMENT);
    ck_assert_int_eq(p->criteria[0].min_term_years, 4);
    ck_assert_int_eq(p->criteria[0].window.type, TR_WINDOW_NONE);
    ck_assert_int_eq(p->criteria[1].type, TR_CRITERION_TEACHING_HOURS);
    ck_assert(p->criteria[1].threshold == 36);
    ck_assert_int_eq(p->criteria[1].window.type, TR_WINDOW_CYCLES);
    ck_assert_int_eq(p->criteria[1].window.years, 1);
    ck_assert_int_eq(p->criteria[1].window.anchor, day("2018-09-01"));
    ck_assert_int_eq(p->criteria[2].type, TR_CRITERION_SUPERVISION_RIGHTS);
    ck_assert(p->criteria[2].threshold == 1); /* the default of a count */
    ck_assert_str_eq(p->criteria[2].roles.items[0], "industrial_professor");
    tr_policy_free(p);
}
END_TEST

START_TEST(policy_other_presets_hold_their_parameters)
{
    struct tr_policy *p = NULL;
    ck_assert_int_eq(tr_policy_load("student-enterprise-immersion", &p, NULL), TR_OK);
    ck_assert(p->criteria[0].threshold == 12);
    ck_assert_int_eq(p->criteria[0].window.type, TR_WINDOW_ALL);
    ck_assert_uint_eq(p->criteria[0].forms.len, 2);
    ck_assert_str_eq(p->criteria[0].forms.items[0], "post");
    ck_assert_str_eq(p->criteria[0].forms.items[1], "rnd_project");
    tr_policy_free(p);

    ck_assert_int_eq(tr_policy_load("engineering-doctorate-credits", &p, NULL), TR_OK);
    ck_assert_str_eq(p->criteria[0].framework, "cn-credit");
    ck_assert(p->criteria[0].threshold == 16);
    ck_assert_uint_eq(p->criteria[0].decisions.len, 2);
    ck_assert_int_eq(p->criteria[0].window.type, TR_WINDOW_ALL);
    tr_policy_free(p);

    ck_assert_int_eq(tr_policy_load("title-associate-professor-example", &p, NULL), TR_OK);
    ck_assert_int_eq(p->example, 1);
    const struct tr_policy_criterion *c = &p->criteria[1];
    ck_assert_int_eq(c->type, TR_CRITERION_CONTRIBUTION_POINTS);
    ck_assert(c->value_unit == 10000);
    ck_assert_str_eq(c->currency, "CNY");
    ck_assert_uint_eq(c->nweights, 5);
    ck_assert_str_eq(c->weights[3].type, "standard");
    ck_assert(c->weights[3].weight == 1.2);
    ck_assert_int_eq(p->criteria[2].type, TR_CRITERION_EVALUATIONS);
    ck_assert_uint_eq(p->criteria[2].roles.len, 2);
    ck_assert(p->criteria[2].threshold == 80);
    tr_policy_free(p);
}
END_TEST

START_TEST(policy_unknown_preset_is_not_found)
{
    struct tr_error err = {0};
    struct tr_policy *p = NULL;
    ck_assert_int_eq(tr_policy_load("no-such-policy", &p, &err), TR_ENOTFOUND);
    ck_assert_str_eq(err.msg, "no policy preset 'no-such-policy'");
    ck_assert_ptr_null(p);
    /* A path is not an id: nothing outside schemas/policies/ can be named. */
    ck_assert_int_eq(tr_policy_load("../Person", &p, &err), TR_ENOTFOUND);
    ck_assert_str_eq(err.msg, "no policy preset '../Person'");
    ck_assert_int_eq(tr_policy_load(NULL, &p, &err), TR_EINVAL);
    ck_assert_str_eq(tr_policy_criterion_type_name(TR_CRITERION_EVALUATIONS), "evaluations");
    ck_assert_ptr_null(tr_policy_criterion_type_name((enum tr_criterion_type)7));
    ck_assert_str_eq(tr_policy_window_type_name(TR_WINDOW_CYCLES), "cycles");
    ck_assert_ptr_null(tr_policy_window_type_name((enum tr_window_type)4));
}
END_TEST

START_TEST(policy_defaults_fill_optional_parameters)
{
    struct tr_policy *p = NULL;
    struct tr_error err = {0};
    const char *text = HEAD "  - id: months\n"
                            "    type: enterprise_months\n"
                            "    title: months\n"
                            "    threshold: 1.5\n"
                            "    window: {type: all}\n"
                            "    forms: [post]\n"
                            "  - id: count\n"
                            "    type: active_appointment\n"
                            "    title: count\n"
                            "    roles: [co_supervisor, enterprise_mentor]\n"
                            "  - id: credits\n"
                            "    type: credits_recognised\n"
                            "    title: credits\n"
                            "    threshold: 0\n"
                            "    framework: ects\n"
                            "  - id: points\n"
                            "    type: contribution_points\n"
                            "    title: points\n"
                            "    threshold: 10\n"
                            "    weights: {product: 0}\n";
    ck_assert_msg(parse(text, &p, &err) == TR_OK, "%s", err.msg);
    ck_assert_str_eq(p->id, "test-policy");
    ck_assert_int_eq(p->version, 2);
    ck_assert_int_eq(p->example, 0);
    ck_assert_ptr_null(p->description);
    ck_assert_ptr_null(p->criteria[0].basis);
    ck_assert_int_eq(p->criteria[0].days_per_month, 30);
    ck_assert(p->criteria[0].threshold == 1.5);
    ck_assert(p->criteria[1].threshold == 1);
    ck_assert_int_eq(p->criteria[1].min_term_years, 0);
    ck_assert_str_eq(p->criteria[1].roles.items[1], "enterprise_mentor");
    ck_assert_int_eq(p->criteria[2].window.type, TR_WINDOW_ALL);
    ck_assert_uint_eq(p->criteria[2].decisions.len, 2);
    ck_assert_str_eq(p->criteria[2].decisions.items[0], "recognised");
    ck_assert_str_eq(p->criteria[2].decisions.items[1], "partially_recognised");
    ck_assert(p->criteria[3].value_unit == 1);
    ck_assert_str_eq(p->criteria[3].currency, "CNY");
    ck_assert(p->criteria[3].weights[0].weight == 0);
    tr_policy_free(p);
}
END_TEST

#define MONTHS                                                                                     \
    "  - id: practice\n"                                                                           \
    "    type: enterprise_months\n"                                                                \
    "    title: practice\n"

START_TEST(policy_unknown_keys_are_refused_where_written)
{
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitel: y\n", TR_ESCHEMA),
                     "'p.yaml' line 3 column 1: unknown key 'titel'");
    ck_assert_str_eq(refused(HEAD MONTHS "    treshold: 6\n", TR_ESCHEMA),
                     "'p.yaml' line 12 column 5: unknown key 'treshold'");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: all, span: 5}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 25: unknown key 'span'");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: y\ncriteria: []\n"
                             "source:\n  - title: t\n    issuer: i\n    issued: 2016\n"
                             "    url: http://example.org\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 9 column 5: unknown key 'url'");
    /* A key of another type of criterion. */
    ck_assert_str_eq(refused(HEAD "  - id: teach\n"
                                  "    type: teaching_hours\n"
                                  "    title: teach\n"
                                  "    threshold: 36\n"
                                  "    window: {type: rolling, years: 1}\n"
                                  "    roles: [industrial_professor]\n"
                                  "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 15 column 12: 'forms' does not apply to a criterion of type "
                     "teaching_hours");
}
END_TEST

START_TEST(policy_wrong_types_are_refused)
{
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: six\n"
                                         "    window: {type: all}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 12 column 16: 'threshold' must be a number, not a string");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: all}\n"
                                         "    forms: post\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 14 column 12: 'forms' must be a list of one or more of "
                     "site_visit, training, post, rnd_project");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: rolling\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 13: 'window' must be a mapping, not a string");
    ck_assert_str_eq(refused("id: x\nversion: \"1\"\n", TR_ESCHEMA),
                     "'p.yaml' line 1 column 1: a policy needs 'title'");
    ck_assert_str_eq(
        refused("id: x\nversion: \"1\"\ntitle: t\nsource: []\ncriteria: []\n", TR_ESCHEMA),
        "'p.yaml' line 2 column 10: 'version' must be a number, not a string");
    ck_assert_str_eq(refused("- id: x\n", TR_ESCHEMA),
                     "'p.yaml' line 1 column 1: a policy must be a mapping, not a list");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: t\nexample: yes\nsource: []\n"
                             "criteria: []\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 4 column 10: 'example' must be true or false, not a string");
    ck_assert_str_eq(refused("id: X\nversion: 1\ntitle: t\nsource: []\ncriteria: []\n", TR_ESCHEMA),
                     "'p.yaml' line 1 column 5: 'id' must be 1 to 64 of a-z, 0-9 and '-', "
                     "starting with a letter");
    ck_assert_str_eq(refused("id: [x\n", TR_EPARSE),
                     "'p.yaml' line 2 column 1: did not find expected ',' or ']' (while parsing "
                     "a flow sequence at line 1 column 5)");
}
END_TEST

START_TEST(policy_out_of_range_values_are_refused)
{
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: -1\n"
                                         "    window: {type: all}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 12 column 16: 'threshold' must be between 0 and 1200");
    ck_assert_str_eq(refused(HEAD "  - id: count\n"
                                  "    type: supervision_rights\n"
                                  "    title: count\n"
                                  "    threshold: 1.5\n"
                                  "    roles: [co_supervisor]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 12 column 16: 'threshold' must be a whole number between 1 "
                     "and 100");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    daysPerMonth: 0\n"
                                         "    window: {type: all}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 19: 'daysPerMonth' must be a whole number between 1 "
                     "and 31");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: rolling, years: 101}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 36: 'years' must be a whole number between 1 and "
                     "100");
    ck_assert_str_eq(refused(HEAD "  - id: points\n"
                                  "    type: contribution_points\n"
                                  "    title: points\n"
                                  "    threshold: 10\n"
                                  "    valueUnit: 0\n"
                                  "    weights: {product: 1}\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 16: 'valueUnit' must be above 0");
    ck_assert_str_eq(refused(HEAD "  - id: points\n"
                                  "    type: contribution_points\n"
                                  "    title: points\n"
                                  "    threshold: 10\n"
                                  "    weights: {product: -1}\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 24: 'product' must be between 0 and 1000000");
    ck_assert_str_eq(refused(HEAD "  - id: eval\n"
                                  "    type: evaluations\n"
                                  "    title: eval\n"
                                  "    threshold: 101\n"
                                  "    roles: [skill_master]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 12 column 16: 'threshold' must be between 0 and 100");
}
END_TEST

START_TEST(policy_values_must_be_those_of_the_record_kinds)
{
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: all}\n"
                                         "    forms: [post, site-visit]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 14 column 19: 'forms' item 'site-visit' is not one of "
                     "site_visit, training, post, rnd_project");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: all}\n"
                                         "    forms: [post, post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 14 column 19: 'forms' lists 'post' twice");
    /* Roles are the appointment's, or the evaluator's, by the type of criterion. */
    ck_assert_str_eq(refused(HEAD "  - id: eval\n"
                                  "    type: evaluations\n"
                                  "    title: eval\n"
                                  "    threshold: 80\n"
                                  "    roles: [industrial_professor]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 13: 'roles' item 'industrial_professor' is not "
                     "one of skill_master, academic_leader");
    ck_assert_str_eq(refused(HEAD "  - id: credits\n"
                                  "    type: credits_recognised\n"
                                  "    title: credits\n"
                                  "    threshold: 16\n"
                                  "    framework: ECTS\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 16: 'framework' must be one of cn-credit, ects, "
                     "uk-cats, us-credit-hour");
    ck_assert_str_eq(refused(HEAD "  - id: points\n"
                                  "    type: contribution_points\n"
                                  "    title: points\n"
                                  "    threshold: 10\n"
                                  "    weights: {patent: 1}\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 15: 'weights' key 'patent' is not one of "
                     "patent_transfer, tech_contract, product, standard, commission_income");
    ck_assert_str_eq(refused(HEAD "  - id: points\n"
                                  "    type: contribution_points\n"
                                  "    title: points\n"
                                  "    threshold: 10\n"
                                  "    currency: RMB\n"
                                  "    weights: {product: 1}\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 15: 'currency' must be one of CNY, USD, EUR");
    ck_assert_str_eq(refused(HEAD "  - id: x\n"
                                  "    type: enterprise-months\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 10 column 11: 'type' must be one of enterprise_months, "
                     "teaching_hours, active_appointment, supervision_rights, "
                     "credits_recognised, contribution_points, evaluations");
}
END_TEST

START_TEST(policy_windows_are_checked)
{
    ck_assert_str_eq(refused(HEAD "  - id: teach\n"
                                  "    type: teaching_hours\n"
                                  "    title: teach\n"
                                  "    threshold: 36\n"
                                  "    window: {type: all}\n"
                                  "    roles: [industrial_professor]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 20: the window of a criterion of type "
                     "teaching_hours must be one of rolling, cycles");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: rolling}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 13: a window of type rolling needs 'years'");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: cycles, years: 5}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 13: a window of type cycles needs 'anchor'");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: cycles, years: 5, anchor: "
                                         "2023-02-29}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 46: 'anchor' is not a valid date: 2023-02 has no "
                     "day 29");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: all, years: 5}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 32: 'years' does not apply to a window of type all");
    ck_assert_str_eq(refused(HEAD MONTHS "    threshold: 6\n"
                                         "    window: {type: rolling, years: 5, anchor: "
                                         "2020-01-01}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 13 column 47: 'anchor' applies only to a window of type "
                     "cycles");
    ck_assert_str_eq(refused(HEAD "  - id: count\n"
                                  "    type: active_appointment\n"
                                  "    title: count\n"
                                  "    window: {type: all}\n"
                                  "    roles: [co_supervisor]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 12 column 13: 'window' does not apply to a criterion of "
                     "type active_appointment");
}
END_TEST

START_TEST(policy_missing_and_repeated_parts_are_refused)
{
    ck_assert_str_eq(refused(HEAD MONTHS "    window: {type: all}\n"
                                         "    forms: [post]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 9 column 5: criterion 'practice' needs 'threshold'");
    ck_assert_str_eq(refused(HEAD "  - type: evaluations\n", TR_ESCHEMA),
                     "'p.yaml' line 9 column 5: a criterion needs 'id'");
    ck_assert_str_eq(refused(HEAD "  - id: x\n    title: x\n", TR_ESCHEMA),
                     "'p.yaml' line 9 column 5: criterion 'x' needs 'type'");
    ck_assert_str_eq(refused(HEAD "  - id: x\n    type: evaluations\n    title: x\n"
                                  "    threshold: 80\n    roles: [skill_master]\n"
                                  "  - id: x\n    type: evaluations\n    title: y\n"
                                  "    threshold: 80\n    roles: [skill_master]\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 14 column 9: criterion id 'x' is used twice");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: t\ncriteria: []\nsource: []\n", TR_ESCHEMA),
                     "'p.yaml' line 5 column 9: 'source' must be a list of one or more documents");
    ck_assert_str_eq(refused(HEAD, TR_ESCHEMA),
                     "'p.yaml' line 8 column 10: 'criteria' must be a list of one or more "
                     "criteria");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: t\ncriteria: []\n"
                             "source:\n  - title: t\n    issued: 2016\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 6 column 5: a source needs 'issuer'");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: t\ncriteria: []\n"
                             "source:\n  - title: t\n    issuer: i\n    issued: 2016-13\n",
                             TR_ESCHEMA),
                     "'p.yaml' line 8 column 13: 'issued' must be a date YYYY-MM-DD, a month "
                     "YYYY-MM or a year YYYY");
    ck_assert_str_eq(refused("id: x\nversion: 1\ntitle: \"\"\n", TR_ESCHEMA),
                     "'p.yaml' line 1 column 1: a policy needs 'source'");
    ck_assert_str_eq(
        refused("id: x\nversion: 1\ntitle: \"\"\nsource: []\ncriteria: []\n", TR_ESCHEMA),
        "'p.yaml' line 3 column 8: 'title' must not be empty");
    ck_assert_str_eq(
        refused("id: x\nversion: 1\ntitle: \"a\\x01\"\nsource: []\ncriteria: []\n", TR_ESCHEMA),
        "'p.yaml' line 3 column 8: 'title' must not contain control characters");
    ck_assert_str_eq(refused("", TR_EPARSE),
                     "'p.yaml' line 1 column 1: expected one document, found none");
}
END_TEST

START_TEST(policy_parse_checks_its_arguments)
{
    struct tr_policy *p = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_policy_parse(NULL, 3, "p.yaml", &p, &err), TR_EINVAL);
    ck_assert_int_eq(tr_policy_parse("x", 1, "p.yaml", NULL, &err), TR_EINVAL);
    ck_assert_int_eq(tr_policy_list(NULL, NULL, &err), TR_EINVAL);
    tr_policy_free(NULL);
    tr_policy_list_free(NULL, 0);
}
END_TEST

Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, policy_every_preset_loads);
    tcase_add_test(tc, policy_teacher_practice_preset_holds_the_2016_rule);
    tcase_add_test(tc, policy_industrial_professor_preset_has_three_duties);
    tcase_add_test(tc, policy_other_presets_hold_their_parameters);
    tcase_add_test(tc, policy_unknown_preset_is_not_found);
    tcase_add_test(tc, policy_defaults_fill_optional_parameters);
    tcase_add_test(tc, policy_unknown_keys_are_refused_where_written);
    tcase_add_test(tc, policy_wrong_types_are_refused);
    tcase_add_test(tc, policy_out_of_range_values_are_refused);
    tcase_add_test(tc, policy_values_must_be_those_of_the_record_kinds);
    tcase_add_test(tc, policy_windows_are_checked);
    tcase_add_test(tc, policy_missing_and_repeated_parts_are_refused);
    tcase_add_test(tc, policy_parse_checks_its_arguments);
    suite_add_tcase(s, tc);
    return s;
}
