/**
 * @file status.h
 * @brief nnm_status, the result of every libnnmath function, and its description.
 */
#ifndef NNMATH_STATUS_H
#define NNMATH_STATUS_H

#include <nnmath/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The result of every array function. Values are stable and never renumbered.
 *
 * Precedence when several apply: NNM_EINVAL before NNM_ESIZE before NNM_EDOM.
 * A call that returns an error has written nothing (iterative methods document their exceptions).
 */
typedef enum nnm_status {
    NNM_OK = 0,      /**< success */
    NNM_EINVAL = 1,  /**< NULL where data is needed, unknown enum, bad option or scalar parameter
                          (checked as !(x > 0) etc., so NaN is rejected too) */
    NNM_ESIZE = 2,   /**< a size that must be > 0 is 0, or an element count that overflows size_t
                          or whose byte size exceeds PTRDIFF_MAX */
    NNM_EDOM = 3,    /**< data outside the function's domain: label not in [0,k) and not ignored,
                          target or probability outside [0,1] or NaN, weight < 0 or NaN, ... */
    NNM_ENOMEM = 4,  /**< scratch memory could not be allocated */
    NNM_ENOCONV = 5  /**< an iterative method did not converge */
} nnm_status;

/**
 * @brief A short English description of a status, e.g. "invalid argument".
 * @return A static string; never NULL, also for values outside the enum ("unknown status").
 */
NNM_API const char *nnm_status_str(nnm_status s);

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_STATUS_H */
