#include "nnmath/status.h"

const char *nnm_status_str(nnm_status s)
{
    switch (s) {
    case NNM_OK: return "success";
    case NNM_EINVAL: return "invalid argument (NULL pointer, unknown enum or bad option)";
    case NNM_ESIZE: return "invalid size (zero where it must be positive, or overflowing)";
    case NNM_EDOM: return "data outside the function's domain (label, target, probability or weight)";
    case NNM_ENOMEM: return "out of memory";
    case NNM_ENOCONV: return "iterative method did not converge";
    }
    return "unknown status";
}
