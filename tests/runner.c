/* runner.c — chains every libcheck suite of tests/check_*.c (the list is generated). */
#include <check.h>
#include <stdlib.h>

#define TR_SUITE(name) Suite *name(void);
#include "suites.h"
#undef TR_SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define TR_SUITE(name) srunner_add_suite(sr, name());
#include "suites.h"
#undef TR_SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
