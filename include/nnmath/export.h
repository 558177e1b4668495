/**
 * @file export.h
 * @brief Symbol visibility (NNM_API) and the restrict qualifier (NNM_RESTRICT).
 *
 * The library is compiled with hidden visibility; only declarations marked NNM_API leave the
 * shared object. NNM_STATIC (set by the nnmath::static target) selects the static-library form on
 * Windows, where dllimport must not be used.
 */
#ifndef NNMATH_EXPORT_H
#define NNMATH_EXPORT_H

#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(NNM_STATIC)
#    define NNM_API
#  elif defined(NNM_BUILDING)
#    define NNM_API __declspec(dllexport)
#  else
#    define NNM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define NNM_API __attribute__((visibility("default")))
#else
#  define NNM_API
#endif

/* restrict is C99; C++ has no standard spelling, so it is empty there. */
#if defined(__cplusplus)
#  define NNM_RESTRICT
#else
#  define NNM_RESTRICT restrict
#endif

#endif /* NNMATH_EXPORT_H */
