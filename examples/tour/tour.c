/*
 * A tour of the lecture notes' worked examples, computed with libnnmath.
 * Each section prints what the notes ask the reader to compute, next to the library's answer.
 */
#include <nnmath/nnmath.h>
#include <stdio.h>

#include "tour.h"

void tour_section(const char *title)
{
    printf("\n== %s ==\n", title);
}

void tour_library(void)
{
    tour_section("libnnmath");
    printf("version %s (number %u)\n", nnm_version_string(), nnm_version_number());
    printf("every function returns an nnm_status:\n");
    for (int s = NNM_OK; s <= NNM_ENOCONV; ++s)
        printf("  %d  %s\n", s, nnm_status_str((nnm_status)s));
}

int main(void)
{
    tour_library();
    tour_activation();
    tour_loss();
    tour_gradient();
    tour_hessian();
    return 0;
}
