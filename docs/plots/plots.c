/*
 * plots: draws every activation of libnnmath with its first and second derivative as SVG.
 *
 *   nnmath_plots OUTDIR          write OUTDIR/act_<name>.svg (one per activation) and
 *                                OUTDIR/activations.svg (all of them on one page)
 *   nnmath_plots --check DIR     exit 1 (naming the files) if DIR's files differ from what this
 *                                build would write: the checked-in docs/img is up to date
 *
 * The values come from the library (nnm_act_apply_f64, nnm_grad_act_f64, nnm_hess_act_f64) at
 * 241 points x = i/30 on [-4, 4]; 0 is one of them, so kinks (ReLU, ELU'') are drawn where they
 * are. The SVG is written with coordinates rounded to 0.1 px, so the output is the same
 * on every machine unless a value moves by a visible amount. Regenerate docs/img with
 * `cmake --build <build> --target plots`.
 */
#include <nnmath/nnmath.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SAMPLES = 241, PER_UNIT = 30, MAX_PLOTS = 16 };
static const double X_MIN = -4.0, X_MAX = 4.0;

typedef struct plot_spec {
    const char *file;    /* act_<file>.svg */
    const char *title;   /* name and definition (UTF-8) */
    const char *brief;   /* the title of its small panel in activations.svg */
    nnm_act act;
} plot_spec;

/* alpha 0.1 for leaky ReLU (the default 0.01 would be indistinguishable from ReLU in a plot). */
static const plot_spec specs[] = {
    {"identity", "identity: f(x) = x", "identity", {NNM_ACT_IDENTITY, 0.0}},
    {"step", "step: f(x) = 1 if x ≥ 0, else 0", "step", {NNM_ACT_STEP, 0.0}},
    {"sigmoid", "sigmoid: f(x) = 1 / (1 + e^−x)", "sigmoid σ(x)", {NNM_ACT_SIGMOID, 0.0}},
    {"tanh", "tanh: f(x) = tanh x", "tanh", {NNM_ACT_TANH, 0.0}},
    {"relu", "ReLU: f(x) = max(x, 0)", "ReLU", {NNM_ACT_RELU, 0.0}},
    {"leaky_relu", "leaky ReLU: f(x) = max(x, αx), α = 0.1", "leaky ReLU (α = 0.1)",
     {NNM_ACT_LEAKY_RELU, 0.1}},
    {"elu", "ELU: f(x) = x if x > 0, else α(e^x − 1), α = 1", "ELU (α = 1)", {NNM_ACT_ELU, 1.0}},
    {"selu", "SELU: f(x) = λ ELU_α(x), λ ≈ 1.0507, α ≈ 1.6733", "SELU", {NNM_ACT_SELU, 0.0}},
    {"softplus", "softplus: f(x) = ln(1 + e^x)", "softplus", {NNM_ACT_SOFTPLUS, 0.0}},
    {"log_sigmoid", "log-sigmoid: f(x) = ln σ(x)", "log-sigmoid", {NNM_ACT_LOG_SIGMOID, 0.0}},
    {"silu", "SiLU: f(x) = x σ(x)", "SiLU", {NNM_ACT_SILU, 0.0}},
    {"gelu", "GELU: f(x) = x Φ(x)", "GELU", {NNM_ACT_GELU, 0.0}},
    {"gelu_tanh", "GELU, tanh form: x/2 (1 + tanh(√(2/π)(x + 0.044715x³)))",
     "GELU (tanh form)",
     {NNM_ACT_GELU_TANH, 0.0}},
    {"mish", "Mish: f(x) = x tanh(softplus(x))", "Mish", {NNM_ACT_MISH, 0.0}},
};
enum { NSPECS = sizeof specs / sizeof specs[0] };

/* f, f', f'' of one activation on the sample grid. */
typedef struct curves {
    double x[SAMPLES], y[3][SAMPLES];
} curves;

static const char *const colours[3] = {"#1f5fa8", "#d9661f", "#2e8b3e"};
static const char *const dashes[3] = {"", " stroke-dasharray=\"7 4\"", " stroke-dasharray=\"2 3\""};
static const char *const labels[3] = {"f", "f′", "f″"};

static void die(const char *what)
{
    fprintf(stderr, "nnmath_plots: %s\n", what);
    exit(EXIT_FAILURE);
}

/* A growing text buffer. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int need = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (need < 0)
            die("formatting failed");
        if (t->s != NULL && t->len + (size_t)need < t->cap) {
            t->len += (size_t)need;
            return;
        }
        size_t cap = t->cap ? t->cap : 4096;
        while (cap <= t->len + (size_t)need)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (s == NULL)
            die("out of memory");
        t->s = s;
        t->cap = cap;
    }
}

static void compute(const plot_spec *spec, curves *c)
{
    for (int i = 0; i < SAMPLES; ++i)
        c->x[i] = (double)(i - (SAMPLES - 1) / 2) / PER_UNIT;   /* exact multiples of 1/30 */
    nnm_status s[3];
    s[0] = nnm_act_apply_f64(spec->act, SAMPLES, c->x, c->y[0]);
    s[1] = nnm_grad_act_f64(spec->act, SAMPLES, c->x, c->y[1]);
    s[2] = nnm_hess_act_f64(spec->act, SAMPLES, c->x, c->y[2]);
    for (int k = 0; k < 3; ++k) {
        if (s[k] != NNM_OK) {
            fprintf(stderr, "nnmath_plots: %s: %s\n", spec->file, nnm_status_str(s[k]));
            exit(EXIT_FAILURE);
        }
        for (int i = 0; i < SAMPLES; ++i)
            if (!isfinite(c->y[k][i])) {
                fprintf(stderr, "nnmath_plots: %s: non-finite value at x = %g\n", spec->file,
                        c->x[i]);
                exit(EXIT_FAILURE);
            }
    }
}

/* A tick spacing of 1, 2 or 5 times a power of ten giving at most `most` intervals over span. */
static double tick_step(double span, int most)
{
    double step = pow(10.0, floor(log10(span / most)));
    static const double mult[] = {1, 2, 5, 10};
    for (int i = 0; i < 4; ++i)
        if (span / (step * mult[i]) <= most)
            return step * mult[i];
    return step * 10;
}

/* One panel: axes, grid, three curves and a legend, in the box (left, top, w, h). */
static void panel(text *t, const char *title, const curves *c, double left, double top,
                  double w, double h, double font)
{
    double lo = 0.0, hi = 1.0;   /* always show 0 and 1: the reference levels of most curves */
    for (int k = 0; k < 3; ++k)
        for (int i = 0; i < SAMPLES; ++i) {
            lo = fmin(lo, c->y[k][i]);
            hi = fmax(hi, c->y[k][i]);
        }
    double pad = 0.06 * (hi - lo);
    lo -= pad;
    hi += pad;

    const double ml = 3.2 * font, mr = 0.8 * font, mt = 2.2 * font, mb = 3.3 * font;
    double px0 = left + ml, px1 = left + w - mr, py0 = top + mt, py1 = top + h - mb;
#define PX(xv) (px0 + ((xv) - X_MIN) / (X_MAX - X_MIN) * (px1 - px0))
#define PY(yv) (py1 - ((yv) - lo) / (hi - lo) * (py1 - py0))

    put(t, "<g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ffffff\"/>\n",
        left, top, w, h);
    put(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" font-weight=\"bold\">%s</text>\n",
        px0, top + 1.3 * font, font, title);

    /* grid and tick labels */
    double ys = tick_step(hi - lo, 6);
    for (double v = ceil(lo / ys) * ys; v <= hi; v += ys) {
        double yv = fabs(v) < 1e-9 * ys ? 0.0 : v;
        put(t, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", px0,
            PY(yv), px1, PY(yv), yv == 0.0 ? "#808080" : "#e4e4e4");
        put(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"end\">%g</text>\n",
            px0 - 0.3 * font, PY(yv) + 0.35 * font, 0.85 * font, yv);
    }
    for (int v = -4; v <= 4; v += 2) {
        put(t, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", PX(v),
            py0, PX(v), py1, v == 0 ? "#808080" : "#e4e4e4");
        put(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
            PX(v), py1 + 1.1 * font, 0.85 * font, v);
    }
    put(t, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
           "stroke=\"#808080\"/>\n",
        px0, py0, px1 - px0, py1 - py0);

    /* curves: f'' first so that f is drawn on top */
    for (int k = 2; k >= 0; --k) {
        put(t, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s d=\"", colours[k],
            k == 0 ? 2.2 : 1.8, dashes[k]);
        for (int i = 0; i < SAMPLES; ++i)
            put(t, "%s%.1f %.1f", i == 0 ? "M" : " L", PX(c->x[i]), PY(c->y[k][i]));
        put(t, "\"/>\n");
    }

    /* legend in the bottom margin, right-aligned, where no curve can run into it */
    for (int k = 0; k < 3; ++k) {
        double ly = top + h - 0.55 * font, lx = px1 - (3 - k) * 4.6 * font;
        put(t, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"2\"%s/>\n",
            lx, ly - 0.3 * font, lx + 2.2 * font, ly - 0.3 * font, colours[k], dashes[k]);
        put(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\">%s</text>\n", lx + 2.6 * font,
            ly, 0.9 * font, labels[k]);
    }
    put(t, "</g>\n");
#undef PX
#undef PY
}

static void svg_open(text *t, double w, double h)
{
    put(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    put(t, "<!-- generated by docs/plots/plots.c from libnnmath's values; do not edit -->\n");
    put(t, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
           "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
        w, h, w, h);
}

/* Writes t to dir/name, or with check != 0 compares it with the file there. Returns 1 if the
 * file is missing or differs (check mode). */
static int emit(const char *dir, const char *name, const text *t, int check)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        die("path too long");
    if (!check) {
        FILE *fp = fopen(path, "wb");
        if (fp == NULL || fwrite(t->s, 1, t->len, fp) != t->len || fclose(fp) != 0) {
            fprintf(stderr, "nnmath_plots: cannot write %s\n", path);
            exit(EXIT_FAILURE);
        }
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    int differs = 1;
    if (fp != NULL) {
        char *old = malloc(t->len + 1);
        if (old == NULL)
            die("out of memory");
        size_t got = fread(old, 1, t->len + 1, fp);
        differs = got != t->len || memcmp(old, t->s, t->len) != 0;
        free(old);
        fclose(fp);
    }
    if (differs)
        fprintf(stderr, "nnmath_plots: %s is missing or out of date\n", path);
    return differs;
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0;
    if (!(argc == 2 && argv[1][0] != '-') && !check) {
        fprintf(stderr, "usage: %s OUTDIR | --check DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[argc - 1];
    static curves all[NSPECS];
    int stale = 0;

    for (int s = 0; s < NSPECS; ++s) {
        text t = {NULL, 0, 0};
        char name[64];
        compute(&specs[s], &all[s]);
        svg_open(&t, 560, 360);
        panel(&t, specs[s].title, &all[s], 0, 0, 560, 360, 14);
        put(&t, "</svg>\n");
        snprintf(name, sizeof name, "act_%s.svg", specs[s].file);
        stale += emit(dir, name, &t, check);
        free(t.s);
    }

    /* All activations on one page, four per row. */
    enum { COLS = 4 };
    const double pw = 330, ph = 230;
    const int rows = (NSPECS + COLS - 1) / COLS;
    text t = {NULL, 0, 0};
    svg_open(&t, COLS * pw, rows * ph);
    for (int s = 0; s < NSPECS; ++s)
        panel(&t, specs[s].brief, &all[s], (s % COLS) * pw, (s / COLS) * ph, pw, ph, 11);
    put(&t, "</svg>\n");
    stale += emit(dir, "activations.svg", &t, check);
    free(t.s);

    if (stale) {
        fprintf(stderr, "nnmath_plots: %d file(s) in %s are stale; regenerate them with "
                        "`cmake --build <build> --target plots` and commit docs/img\n",
                stale, dir);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
