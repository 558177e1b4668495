#include "nnmath/version.h"

unsigned nnm_version_number(void)
{
    return (unsigned)NNM_VERSION_NUMBER;
}

const char *nnm_version_string(void)
{
    return NNM_VERSION_STRING;
}
