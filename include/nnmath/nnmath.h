/**
 * @file nnmath.h
 * @brief Umbrella header: the whole libnnmath API.
 *
 * Modules depend one way: activation <- loss <- gradient <- hessian.
 */
#ifndef NNMATH_NNMATH_H
#define NNMATH_NNMATH_H

#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/version.h>
#include <nnmath/activation.h>
#include <nnmath/loss.h>
#include <nnmath/gradient.h>
#include <nnmath/hessian.h>

#endif /* NNMATH_NNMATH_H */
