/*
 * gen_root_expansions: the zero crossings of the activation derivatives and the Taylor expansion
 * of each derivative around its zero, computed with MPFR, written as src/core/deriv_roots.h.
 *
 * A test tool, not part of the library build. Regenerate the table with
 *     cc -O2 -o /tmp/gen_roots tests/tools/gen_root_expansions.c -lmpfr -lgmp -lm
 *     /tmp/gen_roots > src/core/deriv_roots.h
 *
 * Method. Each function g (silu', silu'', gelu', gelu_tanh', gelu_tanh'', mish', mish'') is
 * written once with truncated power series in t (Taylor-mode arithmetic: +, *, /, exp, log,
 * integration), evaluated on the series X = r + t. Its roots are bracketed by a scan of [-8, 8]
 * and polished by Newton's method (X = x + t at order 2 gives g(x) and g'(x)) to 400 bits. Then
 * the expansion g(r + t) = sum_{k>=1} c_k t^k is computed to NSER terms and cut at the first m
 * whose discarded tail, bounded by sum_{k>m} |c_k| w^k over the next terms, is below 2^-72 |c_1| w
 * on the window |t| < w: far below the 2^-64 rounding of the long double evaluation.
 *
 * The window w is the smallest power of two with |c_1| w >= 2^-5 M, where M = 1 bounds the terms
 * that cancel in the library's closed form of g near r: outside the window that form loses at
 * most 5 bits of its 64-bit (long double) working precision, which leaves an error below 2^-57
 * relative, i.e. < 0.02 ulp of double.
 *
 * r is written as a triple-double r_hi + r_lo + r_lo2 (106+ bits): t = ((x - r_hi) - r_lo) - r_lo2
 * is then accurate to the working precision even for the double x closest to r (x - r_hi is
 * exact by Sterbenz since x is within a factor 2 of r_hi).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>

#define PREC 400
#define NSER 64

typedef struct { mpfr_t c[NSER]; } ser;

static int n_terms = NSER; /* terms in use (2 while polishing a root, NSER for the expansion) */

static ser *snew(void)
{
    ser *s = malloc(sizeof *s);
    if (!s) exit(1);
    for (int k = 0; k < NSER; ++k) mpfr_init2(s->c[k], PREC), mpfr_set_zero(s->c[k], 1);
    return s;
}

static void sfree(ser *s)
{
    for (int k = 0; k < NSER; ++k) mpfr_clear(s->c[k]);
    free(s);
}

static ser *sconst(double v)
{
    ser *s = snew();
    mpfr_set_d(s->c[0], v, MPFR_RNDN);
    return s;
}

static ser *scopy(const ser *a)
{
    ser *s = snew();
    for (int k = 0; k < n_terms; ++k) mpfr_set(s->c[k], a->c[k], MPFR_RNDN);
    return s;
}

static ser *sadd(const ser *a, const ser *b)
{
    ser *s = snew();
    for (int k = 0; k < n_terms; ++k) mpfr_add(s->c[k], a->c[k], b->c[k], MPFR_RNDN);
    return s;
}

static ser *ssub(const ser *a, const ser *b)
{
    ser *s = snew();
    for (int k = 0; k < n_terms; ++k) mpfr_sub(s->c[k], a->c[k], b->c[k], MPFR_RNDN);
    return s;
}

static ser *sscale(const ser *a, const mpfr_t v)
{
    ser *s = snew();
    for (int k = 0; k < n_terms; ++k) mpfr_mul(s->c[k], a->c[k], v, MPFR_RNDN);
    return s;
}

static ser *sscale_d(const ser *a, double v)
{
    ser *s = snew();
    for (int k = 0; k < n_terms; ++k) mpfr_mul_d(s->c[k], a->c[k], v, MPFR_RNDN);
    return s;
}

static ser *sadd_d(const ser *a, double v)
{
    ser *s = scopy(a);
    mpfr_add_d(s->c[0], s->c[0], v, MPFR_RNDN);
    return s;
}

static ser *smul(const ser *a, const ser *b)
{
    ser *s = snew();
    mpfr_t p;
    mpfr_init2(p, PREC);
    for (int k = 0; k < n_terms; ++k)
        for (int j = 0; j <= k; ++j) {
            mpfr_mul(p, a->c[j], b->c[k - j], MPFR_RNDN);
            mpfr_add(s->c[k], s->c[k], p, MPFR_RNDN);
        }
    mpfr_clear(p);
    return s;
}

static ser *sdiv(const ser *a, const ser *b)
{
    ser *s = snew();
    mpfr_t acc, p;
    mpfr_inits2(PREC, acc, p, (mpfr_ptr)0);
    for (int k = 0; k < n_terms; ++k) {
        mpfr_set(acc, a->c[k], MPFR_RNDN);
        for (int j = 1; j <= k; ++j) {
            mpfr_mul(p, b->c[j], s->c[k - j], MPFR_RNDN);
            mpfr_sub(acc, acc, p, MPFR_RNDN);
        }
        mpfr_div(s->c[k], acc, b->c[0], MPFR_RNDN);
    }
    mpfr_clears(acc, p, (mpfr_ptr)0);
    return s;
}

/* E = exp(A): E' = A' E gives k E_k = sum_{j=1..k} j A_j E_{k-j}. */
static ser *sexp(const ser *a)
{
    ser *s = snew();
    mpfr_t p;
    mpfr_init2(p, PREC);
    mpfr_exp(s->c[0], a->c[0], MPFR_RNDN);
    for (int k = 1; k < n_terms; ++k) {
        for (int j = 1; j <= k; ++j) {
            mpfr_mul(p, a->c[j], s->c[k - j], MPFR_RNDN);
            mpfr_mul_si(p, p, j, MPFR_RNDN);
            mpfr_add(s->c[k], s->c[k], p, MPFR_RNDN);
        }
        mpfr_div_si(s->c[k], s->c[k], k, MPFR_RNDN);
    }
    mpfr_clear(p);
    return s;
}

/* sigma(A) = 1 / (1 + exp(-A)) */
static ser *ssig(const ser *a)
{
    ser *m = sscale_d(a, -1.0), *e = sexp(m), *d = sadd_d(e, 1.0), *one = sconst(1.0);
    ser *s = sdiv(one, d);
    sfree(m), sfree(e), sfree(d), sfree(one);
    return s;
}

/* tanh(A) = 1 - 2 / (1 + exp(2A)) */
static ser *stanh(const ser *a)
{
    ser *m = sscale_d(a, 2.0), *e = sexp(m), *d = sadd_d(e, 1.0), *two = sconst(2.0);
    ser *q = sdiv(two, d), *one = sconst(1.0);
    ser *s = ssub(one, q);
    sfree(m), sfree(e), sfree(d), sfree(two), sfree(q), sfree(one);
    return s;
}

/* integral from 0 of a series in t, plus a constant */
static ser *sint(const ser *a, const mpfr_t c0)
{
    ser *s = snew();
    mpfr_set(s->c[0], c0, MPFR_RNDN);
    for (int k = 1; k < n_terms; ++k) mpfr_div_si(s->c[k], a->c[k - 1], k, MPFR_RNDN);
    return s;
}

enum fn_id { SILU_D1, SILU_D2, GELU_D1, GELU_TANH_D1, GELU_TANH_D2, MISH_D1, MISH_D2, N_FN };
static const char *fn_name[N_FN] = {"SILU_D1", "SILU_D2", "GELU_D1", "GELU_TANH_D1",
                                    "GELU_TANH_D2", "MISH_D1", "MISH_D2"};
static const char *fn_math[N_FN] = {
    "silu'(x) = sigma(x) (1 + x sigma(-x))",
    "silu''(x) = sigma'(x) (2 - x tanh(x/2))   (even: the root at -r mirrors this one)",
    "gelu'(x) = Phi(x) + x phi(x)",
    "gelu_tanh'(x) = sigma(z) + x z' sigma'(z),  z = 2 sqrt(2/pi) (x + 0.044715 x^3)",
    "gelu_tanh''(x) = sigma'(z) (2 z' + x z'' - x z'^2 tanh(z/2))   (even)",
    "mish'(x) = n/q + 4 x w (1+w) / q^2,  w = e^x, n = w (w+2), q = n + 2",
    "mish''(x) = 4 w (1+w) / q^2 * (2 + x (q - 2 n w) / (q (1+w)))"};
static const int fn_even[N_FN] = {0, 1, 0, 0, 1, 0, 0};

/* z = 2 sqrt(2/pi) (X + 0.044715 X^3) with the decimal constant 0.044715 taken exactly */
static ser *gelu_tanh_z(const ser *X)
{
    mpfr_t k, c;
    mpfr_inits2(PREC, k, c, (mpfr_ptr)0);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 2, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN);
    mpfr_mul_ui(k, k, 2, MPFR_RNDN);
    mpfr_set_str(c, "0.044715", 10, MPFR_RNDN);
    ser *x2 = smul(X, X), *x3 = smul(x2, X), *cx3 = sscale(x3, c), *in = sadd(X, cx3);
    ser *z = sscale(in, k);
    sfree(x2), sfree(x3), sfree(cx3), sfree(in);
    mpfr_clears(k, c, (mpfr_ptr)0);
    return z;
}

static ser *eval(enum fn_id id, const ser *X)
{
    switch (id) {
    case SILU_D1: {
        ser *s = ssig(X), *mx = sscale_d(X, -1.0), *sm = ssig(mx), *p = smul(X, sm);
        ser *b = sadd_d(p, 1.0), *r = smul(s, b);
        sfree(s), sfree(mx), sfree(sm), sfree(p), sfree(b);
        return r;
    }
    case SILU_D2: {
        ser *s = ssig(X), *mx = sscale_d(X, -1.0), *sm = ssig(mx), *ds = smul(s, sm);
        ser *h = sscale_d(X, 0.5), *th = stanh(h), *p = smul(X, th), *two = sconst(2.0);
        ser *b = ssub(two, p), *r = smul(ds, b);
        sfree(s), sfree(mx), sfree(sm), sfree(ds), sfree(h), sfree(th), sfree(p), sfree(two);
        sfree(b);
        return r;
    }
    case GELU_D1: {
        /* phi(X) = exp(-X^2/2)/sqrt(2 pi); Phi(X) = Phi(x0) + int phi dt (X' = 1) */
        mpfr_t k, c0;
        mpfr_inits2(PREC, k, c0, (mpfr_ptr)0);
        mpfr_const_pi(k, MPFR_RNDN);
        mpfr_mul_ui(k, k, 2, MPFR_RNDN);
        mpfr_rec_sqrt(k, k, MPFR_RNDN);
        ser *x2 = smul(X, X), *a = sscale_d(x2, -0.5), *e = sexp(a), *phi = sscale(e, k);
        mpfr_sqrt_ui(c0, 2, MPFR_RNDN);
        mpfr_div(c0, X->c[0], c0, MPFR_RNDN);
        mpfr_neg(c0, c0, MPFR_RNDN);
        mpfr_erfc(c0, c0, MPFR_RNDN);
        mpfr_div_2ui(c0, c0, 1, MPFR_RNDN);
        ser *Phi = sint(phi, c0), *xphi = smul(X, phi), *r = sadd(Phi, xphi);
        sfree(x2), sfree(a), sfree(e), sfree(phi), sfree(Phi), sfree(xphi);
        mpfr_clears(k, c0, (mpfr_ptr)0);
        return r;
    }
    case GELU_TANH_D1:
    case GELU_TANH_D2: {
        /* z' = dz/dx is the t-derivative of the series; build it from the closed form */
        mpfr_t k, c;
        mpfr_inits2(PREC, k, c, (mpfr_ptr)0);
        mpfr_const_pi(k, MPFR_RNDN);
        mpfr_ui_div(k, 2, k, MPFR_RNDN);
        mpfr_sqrt(k, k, MPFR_RNDN);
        mpfr_mul_ui(k, k, 2, MPFR_RNDN);
        mpfr_set_str(c, "0.044715", 10, MPFR_RNDN);
        ser *z = gelu_tanh_z(X);
        ser *x2 = smul(X, X), *c3 = sscale(x2, c), *c3b = sscale_d(c3, 3.0), *in = sadd_d(c3b, 1.0);
        ser *dz = sscale(in, k);                                   /* 2K (1 + 3 C x^2) */
        ser *sz = ssig(z), *mz = sscale_d(z, -1.0), *smz = ssig(mz), *dsz = smul(sz, smz);
        ser *r;
        if (id == GELU_TANH_D1) {
            ser *p = smul(X, dz), *q = smul(p, dsz);
            r = sadd(sz, q);
            sfree(p), sfree(q);
        } else {
            ser *xk = sscale(X, k), *xk6 = sscale(xk, c), *d2z = sscale_d(xk6, 6.0); /* 12KCx */
            ser *t1 = sscale_d(dz, 2.0), *t2 = smul(X, d2z), *dz2 = smul(dz, dz);
            ser *hz = sscale_d(z, 0.5), *th = stanh(hz), *t3a = smul(X, dz2), *t3 = smul(t3a, th);
            ser *s12 = sadd(t1, t2), *b = ssub(s12, t3);
            r = smul(dsz, b);
            sfree(xk), sfree(xk6), sfree(d2z), sfree(t1), sfree(t2), sfree(dz2), sfree(hz);
            sfree(th), sfree(t3a), sfree(t3), sfree(s12), sfree(b);
        }
        sfree(z), sfree(x2), sfree(c3), sfree(c3b), sfree(in), sfree(dz), sfree(sz), sfree(mz);
        sfree(smz), sfree(dsz);
        mpfr_clears(k, c, (mpfr_ptr)0);
        return r;
    }
    case MISH_D1:
    case MISH_D2: {
        ser *w = sexp(X), *w2 = sadd_d(w, 2.0), *n = smul(w, w2), *q = sadd_d(n, 2.0);
        ser *w1 = sadd_d(w, 1.0), *ww1 = smul(w, w1), *q2 = smul(q, q), *num = sscale_d(ww1, 4.0);
        ser *r;
        if (id == MISH_D1) {
            ser *a = sdiv(n, q), *b0 = smul(X, num), *b = sdiv(b0, q2);
            r = sadd(a, b);
            sfree(a), sfree(b0), sfree(b);
        } else {
            ser *ssig_ = sdiv(num, q2), *nw = smul(n, w), *nw2 = sscale_d(nw, 2.0);
            ser *g0 = ssub(q, nw2), *den = smul(q, w1), *g = sdiv(g0, den), *xg = smul(X, g);
            ser *br = sadd_d(xg, 2.0);
            r = smul(ssig_, br);
            sfree(ssig_), sfree(nw), sfree(nw2), sfree(g0), sfree(den), sfree(g), sfree(xg);
            sfree(br);
        }
        sfree(w), sfree(w2), sfree(n), sfree(q), sfree(w1), sfree(ww1), sfree(q2), sfree(num);
        return r;
    }
    case N_FN: break;
    }
    abort();
}

/* g and g' at x (order-2 series) */
static void eval2(enum fn_id id, const mpfr_t x, mpfr_t g, mpfr_t dg)
{
    int saved = n_terms;
    n_terms = 2;
    ser *X = snew();
    mpfr_set(X->c[0], x, MPFR_RNDN);
    mpfr_set_ui(X->c[1], 1, MPFR_RNDN);
    ser *G = eval(id, X);
    mpfr_set(g, G->c[0], MPFR_RNDN);
    mpfr_set(dg, G->c[1], MPFR_RNDN);
    sfree(X), sfree(G);
    n_terms = saved;
}

static void polish(enum fn_id id, mpfr_t x)
{
    mpfr_t g, dg, step;
    mpfr_inits2(PREC, g, dg, step, (mpfr_ptr)0);
    for (int it = 0; it < 200; ++it) {
        eval2(id, x, g, dg);
        mpfr_div(step, g, dg, MPFR_RNDN);
        mpfr_sub(x, x, step, MPFR_RNDN);
        if (mpfr_zero_p(step) || mpfr_get_exp(step) < mpfr_get_exp(x) - PREC + 8) break;
    }
    mpfr_clears(g, dg, step, (mpfr_ptr)0);
}

static void emit(enum fn_id id, const mpfr_t r, int idx)
{
    ser *X = snew();
    mpfr_set(X->c[0], r, MPFR_RNDN);
    mpfr_set_ui(X->c[1], 1, MPFR_RNDN);
    ser *G = eval(id, X);

    /* triple-double split of r */
    mpfr_t rem;
    mpfr_init2(rem, PREC);
    double parts[3];
    mpfr_set(rem, r, MPFR_RNDN);
    for (int i = 0; i < 3; ++i) {
        parts[i] = mpfr_get_d(rem, MPFR_RNDN);
        mpfr_sub_d(rem, rem, parts[i], MPFR_RNDN);
    }

    /* window: |c1| w >= 2^-5 */
    double c1 = fabs(mpfr_get_d(G->c[1], MPFR_RNDN));
    int we = (int)ceil(log2(ldexp(1.0, -5) / c1));
    double w = ldexp(1.0, we);
    /* terms: the tail past m over the remaining computed terms, at |t| = w */
    int m = 1;
    double tail = 0.0;
    for (m = 1; m < NSER - 8; ++m) {
        tail = 0.0;
        for (int k = m + 1; k < NSER; ++k) tail += fabs(mpfr_get_d(G->c[k], MPFR_RNDN)) * pow(w, k);
        if (tail <= ldexp(c1 * w, -72)) break;
    }
    if (m >= NSER - 8) {
        fprintf(stderr, "%s: expansion does not converge on w = %g\n", fn_name[id], w);
        exit(1);
    }

    char name[64];
    snprintf(name, sizeof name, "NNM__ROOT_%s_%d", fn_name[id], idx);
    mpfr_printf("/* %s = 0 at x = %.40Rf\n", fn_math[id], r);
    printf(" * window |x - r| < 2^%d, %d terms, discarded tail <= %.2g |c_1 t| */\n", we, m,
           tail / (c1 * w));
    /* parenthesised: a negative literal in a macro must not bind to a neighbouring operator */
    printf("#define %s_HI  (%a)\n", name, parts[0]);
    printf("#define %s_LO  (%a)\n", name, parts[1]);
    printf("#define %s_LO2 (%a)\n", name, parts[2]);
    printf("#define %s_W   0x1p%d\n", name, we);
    printf("#define %s_C(C) \\\n", name);
    for (int k = 1; k <= m; ++k)
        mpfr_printf("    C(%.27Re)%s\n", G->c[k], k < m ? ", \\" : "");
    printf("\n");
    (void)fn_even;
    mpfr_clear(rem);
    sfree(X), sfree(G);
}

int main(void)
{
    printf("/*\n * GENERATED by tests/tools/gen_root_expansions.c -- do not edit. Regenerate with\n"
           " *     cc -O2 -o /tmp/gen_roots tests/tools/gen_root_expansions.c -lmpfr -lgmp -lm\n"
           " *     /tmp/gen_roots > src/core/deriv_roots.h\n"
           " *\n * For each zero r of an activation derivative g: r = HI + LO + LO2 (triple double),"
           "\n * the window W (|x - r| < W selects the expansion) and the Taylor coefficients\n"
           " * C(c_1), ..., C(c_m) of g(r + t) = sum_k c_k t^k (c_0 = 0), 28 significant digits.\n"
           " * Even functions list only their positive root.\n */\n"
           "#ifndef NNMATH_CORE_DERIV_ROOTS_H\n#define NNMATH_CORE_DERIV_ROOTS_H\n\n");
    mpfr_t x, g, dg, prev, xp;
    mpfr_inits2(PREC, x, g, dg, prev, xp, (mpfr_ptr)0);
    for (int id = 0; id < N_FN; ++id) {
        int idx = 0;
        /* scan for sign changes on [-8, 8] with step 1/64; even functions only on x > 0 */
        double lo = fn_even[id] ? 1.0 / 128 : -8.0;
        mpfr_set_d(xp, lo, MPFR_RNDN);
        eval2((enum fn_id)id, xp, prev, dg);
        for (double xv = lo + 1.0 / 64; xv <= 8.0; xv += 1.0 / 64) {
            mpfr_set_d(x, xv, MPFR_RNDN);
            eval2((enum fn_id)id, x, g, dg);
            if (mpfr_sgn(g) != mpfr_sgn(prev) && mpfr_sgn(g) != 0) {
                mpfr_set_d(x, xv - 1.0 / 128, MPFR_RNDN);
                polish((enum fn_id)id, x);
                emit((enum fn_id)id, x, idx++);
            }
            mpfr_set(prev, g, MPFR_RNDN);
        }
        fprintf(stderr, "%s: %d root(s)\n", fn_name[id], idx);
    }
    mpfr_clears(x, g, dg, prev, xp, (mpfr_ptr)0);
    printf("#endif /* NNMATH_CORE_DERIV_ROOTS_H */\n");
    return 0;
}
