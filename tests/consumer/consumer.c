/* A user program: built by every consumer test (find_package, pkg-config, static, add_subdirectory). */
#include <nnmath/nnmath.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    if (nnm_version_number() != NNM_VERSION_NUMBER) return 1;
    if (strcmp(nnm_version_string(), NNM_VERSION_STRING) != 0) return 1;
    printf("libnnmath %s: %s\n", nnm_version_string(), nnm_status_str(NNM_OK));
    return 0;
}
